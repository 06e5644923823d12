package org.protoblock.p2p.holepunch;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * Dials every address of a hole-punch peer at once from our listening port, in the Noise role the
 * protocol gave us; the first session wins. Rationale: only one address usually works (the NAT's
 * mapping of the peer's listen port), and dialing them one after another would miss the moment the
 * peer dials us. Should two succeed, the host's session table keeps one (same dialer: the newer)
 * and closes the other as a duplicate.
 *
 * <p>Stateless; the result completes on whichever thread completed the deciding dial.
 */
final class PunchDials {
    /** The first session, and the address it was dialed at. */
    record Punched(Session session, PeerAddress address) {
    }

    private PunchDials() {
    }

    private static String why(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    /** Fails with a {@link ConnectException} naming the distinct errors when all dials failed. */
    static CompletableFuture<Punched> first(PeerHost host, int localPort, List<PeerAddress> addresses, Direction role,
                                            NodeId peer, Duration dialTimeout) {
        CompletableFuture<Punched> result = new CompletableFuture<>();
        if (addresses.isEmpty()) {
            result.completeExceptionally(new IllegalArgumentException("no address to dial"));
            return result;
        }
        AtomicInteger left = new AtomicInteger(addresses.size());
        List<Throwable> errors = new ArrayList<>();
        for (PeerAddress address : addresses) {
            CompletableFuture<Session> dial;
            try {
                dial = host.dialFrom(localPort, address, role, peer, dialTimeout);
            } catch (IllegalStateException closed) {
                dial = CompletableFuture.failedFuture(closed);
            }
            dial.whenComplete((session, error) -> {
                if (error == null) {
                    result.complete(new Punched(session, address));
                } else {
                    synchronized (errors) {
                        errors.add(error);
                    }
                }
                if (left.decrementAndGet() == 0 && !result.isDone()) {
                    synchronized (errors) {
                        result.completeExceptionally(new ConnectException("every dial failed: " + errors.stream()
                                .map(PunchDials::why).distinct().collect(Collectors.joining("; "))));
                    }
                }
            });
        }
        return result;
    }
}
