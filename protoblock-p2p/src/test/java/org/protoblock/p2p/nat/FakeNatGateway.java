package org.protoblock.p2p.nat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A PCP + NAT-PMP server on loopback for client logic tests: answers as RFC 6887/6886 say (checked
 * against miniupnpd's captured replies by the message tests), or stays silent, or answers PCP as a
 * NAT-PMP-only server does. Records every request.
 *
 * <p>Threads: one daemon thread serves; the behaviour fields are volatile so tests change them live.
 */
final class FakeNatGateway implements AutoCloseable {
    enum Pcp { ANSWER, SILENT, NATPMP_ONLY }

    private final DatagramSocket socket;
    private final Thread thread;
    final List<byte[]> pcpRequests = new CopyOnWriteArrayList<>();
    final List<byte[]> natPmpRequests = new CopyOnWriteArrayList<>();
    volatile Pcp pcp = Pcp.ANSWER;
    volatile boolean natPmp = true;
    volatile InetAddress external;
    volatile long lifetimeSeconds = -1; // -1 = grant what was asked

    FakeNatGateway(String external) throws IOException {
        this.external = InetAddress.getByName(external);
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.thread = new Thread(this::serve, "fake-nat-gateway");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        byte[] buffer = new byte[1100];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                byte[] request = Arrays.copyOf(packet.getData(), packet.getLength());
                byte[] reply = request.length > 0 && request[0] == 2 ? pcpReply(request) : natPmpReply(request);
                if (reply != null) {
                    socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                }
            } catch (SocketException e) {
                return;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private byte[] pcpReply(byte[] request) {
        pcpRequests.add(request);
        switch (pcp) {
            case SILENT:
                return null;
            case NATPMP_ONLY:
                return ByteBuffer.allocate(8).put((byte) 0).put((byte) (0x80 | request[1])).putShort((short) 1).putInt(7).array();
            default:
                long asked = ByteBuffer.wrap(request, 4, 4).getInt() & 0xFFFFFFFFL;
                long granted = asked == 0 || lifetimeSeconds < 0 ? asked : lifetimeSeconds;
                ByteBuffer reply = ByteBuffer.allocate(60);
                reply.put((byte) 2).put((byte) 0x81).put((byte) 0).put((byte) 0).putInt((int) granted).putInt(7).put(new byte[12]);
                reply.put(request, 24, 16); // nonce, protocol, reserved
                reply.putShort(ByteBuffer.wrap(request, 40, 2).getShort()); // internal port
                reply.putShort(ByteBuffer.wrap(request, 42, 2).getShort()); // external port = suggested
                reply.put(PcpMessages.sixteenBytes(external));
                return reply.array();
        }
    }

    private byte[] natPmpReply(byte[] request) {
        natPmpRequests.add(request);
        if (!natPmp || request.length < 2) {
            return null;
        }
        if (request[1] == 0) {
            return ByteBuffer.allocate(12).put((byte) 0).put((byte) 0x80).putShort((short) 0).putInt(7).put(external.getAddress()).array();
        }
        ByteBuffer in = ByteBuffer.wrap(request);
        in.position(4);
        short internal = in.getShort();
        short suggested = in.getShort();
        long asked = in.getInt() & 0xFFFFFFFFL;
        long granted = asked == 0 || lifetimeSeconds < 0 ? asked : lifetimeSeconds;
        return ByteBuffer.allocate(16).put((byte) 0).put((byte) 0x82).putShort((short) 0).putInt(7).putShort(internal)
                .putShort(asked == 0 ? 0 : suggested).putInt((int) granted).array();
    }

    /** The lifetime field of a PCP request. */
    static long pcpLifetime(byte[] request) {
        return ByteBuffer.wrap(request, 4, 4).getInt() & 0xFFFFFFFFL;
    }

    /** The nonce of a PCP MAP request. */
    static byte[] pcpNonce(byte[] request) {
        return Arrays.copyOfRange(request, 24, 36);
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(1000);
    }
}
