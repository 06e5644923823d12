package org.protoblock.node.sp;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** SUB clients over raw TCP that say their SP header and then never read (4 KiB receive buffers). */
final class StalledSubscribers implements AutoCloseable {
    static final byte[] SUB_HEADER = HexFormat.of().parseHex("0053500000210000");

    private final List<Socket> sockets = new ArrayList<>();

    /** This JVM's limit of open files: each stalled subscriber costs two (its socket and the node's). */
    static long maxOpenFiles() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : Long.MAX_VALUE;
    }

    /** Connects {@code n} of them to {@code url} (tcp://HOST:PORT). */
    void connect(String url, int n) throws IOException {
        URI uri = URI.create(url);
        for (int i = 0; i < n; i++) {
            Socket s = new Socket();
            sockets.add(s);
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            s.getOutputStream().write(SUB_HEADER);
        }
    }

    @Override
    public void close() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
    }
}
