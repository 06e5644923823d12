package org.protoblock.p2p.session;

import io.netty.channel.Channel;
import java.util.function.Consumer;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * A new {@link Session} and the handlers that run it, made together after a successful Hello. The
 * host adds the handlers to the link's pipeline in the order of the accessors below (bottom, near
 * the wire, to top, near the components); see {@code host.LinkInitializer}.
 *
 * <p>Threads: built on the link's event loop when the Hello is accepted; immutable.
 */
public final class SessionStage {
    private final Session session;
    private final BackpressureHandler backpressure;
    private final PeerRequestGate peerRequests;
    private final RequestMatcher requests;
    private final PingHandler ping;
    private final ProtocolRouter router;

    /** {@code onClosed} runs on the event loop once the session ended, before the components hear it. */
    public SessionStage(Channel channel, NodeId nodeId, Hello remoteHello, Direction direction,
                        PeerAddress remoteAddress, SessionLimits limits, int maxEnvelopeBytes, OutboundBudget budget,
                        PeerEvents events, Consumer<Session> onClosed) {
        this.session = new Session(channel, nodeId, remoteHello, direction, remoteAddress, limits, maxEnvelopeBytes, budget);
        this.backpressure = new BackpressureHandler(limits.slowReaderTimeout());
        this.peerRequests = new PeerRequestGate(limits);
        this.requests = new RequestMatcher(session);
        this.ping = new PingHandler(session);
        this.router = new ProtocolRouter(session, events, onClosed);
    }

    public Session session() {
        return session;
    }

    public BackpressureHandler backpressure() {
        return backpressure;
    }

    public PeerRequestGate peerRequests() {
        return peerRequests;
    }

    public RequestMatcher requests() {
        return requests;
    }

    public PingHandler ping() {
        return ping;
    }

    /** Added last: it tells the components the session is up. */
    public ProtocolRouter router() {
        return router;
    }
}
