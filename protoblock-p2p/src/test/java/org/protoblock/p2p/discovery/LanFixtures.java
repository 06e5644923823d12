package org.protoblock.p2p.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Probes for the LAN tests: does a multicast datagram sent on an interface come back to us?
 * Linux delivers multicast on {@code lo} even without its MULTICAST flag; if it does not, we try
 * {@code ip link set lo multicast on} (works as root; its exit code decides).
 */
final class LanFixtures {
    static final String GROUP = "239.255.81.25";

    private LanFixtures() {
    }

    static boolean multicastOnLoopbackWorks(int port) {
        return works("lo", port) || (enableLoopbackMulticast() && works("lo", port));
    }

    /** A non-loopback interface on which our own multicast comes back, as on a real host's LAN. */
    static Optional<String> workingLanInterface(int port) {
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (ni.isUp() && !ni.isLoopback() && ni.supportsMulticast() && works(ni.getName(), port)) {
                    return Optional.of(ni.getName());
                }
            }
        } catch (SocketException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    static boolean works(String interfaceName, int port) {
        try (DatagramChannel receiver = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET);
             Selector selector = Selector.open()) {
            NetworkInterface ni = NetworkInterface.getByName(interfaceName);
            if (ni == null) {
                return false;
            }
            InetAddress group = InetAddress.getByName(GROUP);
            receiver.setOption(StandardSocketOptions.SO_REUSEADDR, true).bind(new InetSocketAddress(port));
            receiver.join(group, ni);
            receiver.configureBlocking(false).register(selector, SelectionKey.OP_READ);
            sender.setOption(StandardSocketOptions.IP_MULTICAST_IF, ni).setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            sender.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress(group, port));
            return selector.select(2_000) > 0 && receiver.receive(ByteBuffer.allocate(8)) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean enableLoopbackMulticast() {
        try {
            Process p = new ProcessBuilder("ip", "link", "set", "lo", "multicast", "on").redirectErrorStream(true).start();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
