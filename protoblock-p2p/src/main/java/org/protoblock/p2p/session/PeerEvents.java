package org.protoblock.p2p.session;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.link.LinkClosed;
import org.protoblock.p2p.wire.proto.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans peer events out to the registered {@link PeerListener}s; routes each message type to the
 * listeners that registered for it. Registration is rare (start-up) and copies; dispatch reads an
 * immutable snapshot, so it is lock-free from any event loop.
 */
public final class PeerEvents {
    private static final Logger log = LoggerFactory.getLogger(PeerEvents.class);

    private record Routes(List<PeerListener> all, Map<Envelope.BodyCase, List<PeerListener>> byType) {
    }

    private volatile Routes routes = new Routes(List.of(), Map.of());

    /** Adds a listener for lifecycle events and the given message types; close the result to remove it. */
    public synchronized AutoCloseable register(PeerListener listener, Set<Envelope.BodyCase> messageTypes) {
        Routes r = routes;
        List<PeerListener> all = new ArrayList<>(r.all());
        all.add(listener);
        Map<Envelope.BodyCase, List<PeerListener>> byType = new EnumMap<>(Envelope.BodyCase.class);
        r.byType().forEach((k, v) -> byType.put(k, new ArrayList<>(v)));
        messageTypes.forEach(t -> byType.computeIfAbsent(t, k -> new ArrayList<>()).add(listener));
        routes = freeze(all, byType);
        return () -> unregister(listener);
    }

    private synchronized void unregister(PeerListener listener) {
        Routes r = routes;
        List<PeerListener> all = new ArrayList<>(r.all());
        all.remove(listener);
        Map<Envelope.BodyCase, List<PeerListener>> byType = new EnumMap<>(Envelope.BodyCase.class);
        r.byType().forEach((k, v) -> {
            List<PeerListener> rest = new ArrayList<>(v);
            rest.remove(listener);
            if (!rest.isEmpty()) {
                byType.put(k, rest);
            }
        });
        routes = freeze(all, byType);
    }

    private static Routes freeze(List<PeerListener> all, Map<Envelope.BodyCase, List<PeerListener>> byType) {
        Map<Envelope.BodyCase, List<PeerListener>> frozen = new EnumMap<>(Envelope.BodyCase.class);
        byType.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new Routes(List.copyOf(all), frozen);
    }

    public boolean handles(Envelope.BodyCase type) {
        return routes.byType().containsKey(type);
    }

    void connected(Session session, Hello hello) {
        for (PeerListener l : routes.all()) {
            guard(l, "connected", () -> l.connected(session, hello));
        }
    }

    void message(Session session, Envelope envelope) {
        for (PeerListener l : routes.byType().getOrDefault(envelope.getBodyCase(), List.of())) {
            guard(l, "message", () -> l.message(session, envelope));
        }
    }

    void disconnected(Session session, LinkClosed closed) {
        for (PeerListener l : routes.all()) {
            guard(l, "disconnected", () -> l.disconnected(session, closed.reason(), closed.byUs()));
        }
    }

    public void linkFailed(LinkFailure failure) {
        for (PeerListener l : routes.all()) {
            guard(l, "linkFailed", () -> l.linkFailed(failure));
        }
    }

    private static void guard(PeerListener listener, String event, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("Peer listener {} failed on {}", listener.getClass().getName(), event, e);
        }
    }
}
