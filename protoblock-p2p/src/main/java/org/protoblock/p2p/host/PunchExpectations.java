package org.protoblock.p2p.host;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * Hole-punch peers whose SYN may reach our listening socket as an ordinary inbound connection
 * (when our own dial to that address is not in flight): an inbound link from an address listed
 * here runs the Noise role the punch gave us, insists on the peer's id and is marked HOLEPUNCHED,
 * instead of the responder role every inbound link takes (both ends responders would wait for
 * each other until the handshake timeout).
 *
 * <p>Rules: at most {@link #MAX_ADDRESSES} addresses are expected at once (further ones are not
 * registered: their SYNs are ordinary inbound links); an address expected by two punches keeps
 * the later; each registration is removed by its owner when its punch ends.
 *
 * <p>Threads: thread-safe (a concurrent map); read on accept by the event loops.
 */
public final class PunchExpectations {
    static final int MAX_ADDRESSES = 256;

    /** The peer a punch expects from an address, and our Noise role on its link; counts the links that came. */
    static final class Expected {
        private final NodeId peer;
        private final Direction role;
        private final AtomicInteger arrived = new AtomicInteger();

        Expected(NodeId peer, Direction role) {
            this.peer = peer;
            this.role = role;
        }

        NodeId peer() {
            return peer;
        }

        Direction role() {
            return role;
        }
    }

    /** What {@link #expect} registered: {@link #arrived} links came from its addresses so far; close to remove. */
    public record Registration(Runnable remove, Expected expected) implements AutoCloseable {
        /** Inbound links from the expected addresses so far (their handshakes may still be running). */
        public int arrived() {
            return expected.arrived.get();
        }

        @Override
        public void close() {
            remove.run();
        }
    }

    private final Map<PeerAddress, Expected> expected = new ConcurrentHashMap<>();

    /** Registers {@code from} until the registration is closed. */
    synchronized Registration expect(NodeId peer, Collection<PeerAddress> from, Direction role) {
        Expected e = new Expected(peer, role);
        List<PeerAddress> added = from.stream().filter(a -> expected.size() < MAX_ADDRESSES || expected.containsKey(a))
                .peek(a -> expected.put(a, e)).toList();
        return new Registration(() -> added.forEach(a -> expected.remove(a, e)), e);
    }

    /** The punch expecting a link from {@code remote}, counting this one as arrived. */
    Optional<Expected> arrivedFrom(PeerAddress remote) {
        Optional<Expected> e = expected.isEmpty() ? Optional.empty() : Optional.ofNullable(expected.get(remote));
        e.ifPresent(x -> x.arrived.incrementAndGet());
        return e;
    }

    int size() {
        return expected.size();
    }
}
