package org.protoblock.p2p.nat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP request/reply exchange with a gateway's PCP/NAT-PMP port, retransmitted on a schedule.
 *
 * <p>Rules: the socket is connected to the gateway, so only its datagrams arrive and an ICMP port
 * unreachable ends the exchange at once (nothing listens: no point waiting); each wait is bounded;
 * replies longer than {@link #MAX_REPLY} are cut there (RFC 6887 §7: PCP messages are at most 1100
 * bytes) and left to the decoder to judge; waits end early when {@code cancelled} turns true; a reply the matcher does not claim (another request's
 * nonce, a late answer to an earlier try) is skipped and waiting goes on until the try's deadline.
 *
 * <p>Threads: none of its own; one exchange per call, on the caller's thread.
 */
final class UdpExchange {
    private static final Logger log = LoggerFactory.getLogger(UdpExchange.class);
    static final int MAX_REPLY = 1100;

    /** Decides whether a datagram answers our request: the decoded reply, empty to keep waiting. */
    @FunctionalInterface
    interface Matcher<T> {
        Optional<T> match(byte[] reply) throws PortMapException;
    }

    /** How often a wait looks whether the mapper is closing, so close is not held up by a silent gateway. */
    static final long POLL_MS = 100;

    private final InetSocketAddress server;
    private final BooleanSupplier cancelled;

    UdpExchange(InetSocketAddress server, BooleanSupplier cancelled) {
        this.server = server;
        this.cancelled = cancelled;
    }

    InetSocketAddress server() {
        return server;
    }

    /** Our own address on the route to the gateway (getsockname of a socket connected to it). */
    InetAddress localAddress() throws PortMapException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(server);
            InetAddress local = socket.getLocalAddress();
            if (local.isAnyLocalAddress()) {
                throw new PortMapException(PortMapException.Kind.NO_GATEWAY, "no route to gateway " + server);
            }
            return local;
        } catch (IOException e) {
            throw new PortMapException(PortMapException.Kind.NO_GATEWAY, "no route to gateway " + server + ": " + e, e);
        }
    }

    /**
     * Sends {@code request} once per entry of {@code waits}, each time waiting that long for a reply
     * {@code matcher} claims. Throws NO_ANSWER when none came.
     */
    <T> T exchange(byte[] request, List<Duration> waits, Matcher<T> matcher, String what) throws PortMapException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(server);
            byte[] buffer = new byte[MAX_REPLY];
            int attempt = 0;
            for (Duration wait : waits) {
                attempt++;
                log.debug("{}: try {} to {}", what, attempt, server);
                socket.send(new DatagramPacket(request, request.length));
                long deadline = System.nanoTime() + wait.toNanos();
                while (true) {
                    long leftMs = (deadline - System.nanoTime()) / 1_000_000;
                    if (leftMs <= 0) {
                        break;
                    }
                    socket.setSoTimeout((int) Math.max(1, Math.min(leftMs, POLL_MS)));
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    try {
                        socket.receive(packet);
                    } catch (SocketTimeoutException e) {
                        if (cancelled.getAsBoolean()) {
                            throw new PortMapException(PortMapException.Kind.NO_ANSWER, what + ": cancelled");
                        }
                        continue;
                    }
                    Optional<T> reply = matcher.match(Arrays.copyOf(packet.getData(), packet.getLength()));
                    if (reply.isPresent()) {
                        return reply.get();
                    }
                    log.debug("{}: skipped a reply that is not ours ({} bytes)", what, packet.getLength());
                }
            }
            throw new PortMapException(PortMapException.Kind.NO_ANSWER, what + ": no answer from " + server + " after " + attempt + " tries");
        } catch (PortUnreachableException e) {
            throw new PortMapException(PortMapException.Kind.NO_ANSWER, what + ": " + server + " is closed (port unreachable)", e);
        } catch (IOException e) {
            throw new PortMapException(PortMapException.Kind.NO_ANSWER, what + ": " + server + ": " + e, e);
        }
    }
}
