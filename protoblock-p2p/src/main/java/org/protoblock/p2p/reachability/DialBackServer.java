package org.protoblock.p2p.reachability;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.protoblock.p2p.discovery.Misconduct;
import org.protoblock.p2p.discovery.TokenBucket;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.ConnectionType;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.protocol.Protocol;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.DialBackRequest;
import org.protoblock.p2p.wire.proto.DialBackResponse;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our side of other nodes' reachability checks: a {@code DialBackRequest} makes us open a new link
 * to the requester's claimed address, authenticate it as the requester, and send its nonce there
 * ({@link PeerHost#dialBack}); the answer says whether that worked.
 *
 * <p>Rules:
 * <ul>
 *   <li>Only the requester's own IP, as we see it, is ever dialed ({@link DialBackTargets});
 *       anything else is REFUSED without a dial.</li>
 *   <li>Each peer has a token bucket (burst {@code serverBurst}, refill {@code serverRefillPerSecond});
 *       and at most {@code maxConcurrentDialBacks} dial-backs run at once. Beyond either: BUSY, and
 *       every tenth refusal of a peer scores SPAM. Rationale: a check needs a few dial-backs per
 *       address change, so honest peers never meet the limits.</li>
 *   <li>A dial-back that worked is first-hand proof that the requester listens at that address:
 *       it is reported ({@code reachableAt}) as if we had dialed it ourselves, so a new public node
 *       whose only peers are its seed (and private nodes that cannot serve its second check) still
 *       becomes known through the seed's peer exchange.</li>
 * </ul>
 *
 * <p>Threads: requests are checked on the event loops (per-peer buckets under their own lock);
 * dials run on the transport's event loops; answers are sent from whichever completes the dial.
 */
public final class DialBackServer implements Protocol {
    private static final Logger log = LoggerFactory.getLogger(DialBackServer.class);
    private static final int MAX_DETAIL = 200;

    private final PeerHost host;
    private final ReachabilityConfig config;
    private final Misconduct misconduct;
    private final P2pMetrics metrics;
    private final BiConsumer<NodeId, PeerAddress> reachableAt;
    private final Map<Session, PeerLimit> limits = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();

    /** Rate state of one session; guarded by itself. */
    private static final class PeerLimit {
        final TokenBucket bucket;
        int refusals;

        PeerLimit(ReachabilityConfig c) {
            bucket = new TokenBucket(c.serverBurst(), c.serverRefillPerSecond(), System.nanoTime());
        }
    }

    /** {@code reachableAt}: a requester proved to listen at an address (any thread; must not block). */
    public DialBackServer(PeerHost host, ReachabilityConfig config, Misconduct misconduct, P2pMetrics metrics,
                          BiConsumer<NodeId, PeerAddress> reachableAt) {
        this.host = host;
        this.config = config;
        this.misconduct = misconduct;
        this.metrics = metrics;
        this.reachableAt = reachableAt;
    }

    @Override
    public Set<Envelope.BodyCase> messageTypes() {
        return Set.of(Envelope.BodyCase.DIAL_BACK_REQUEST);
    }

    @Override
    public void connected(Session session, Hello remoteHello) {
        limits.put(session, new PeerLimit(config));
    }

    @Override
    public void disconnected(Session session, DisconnectReason reason, boolean byUs) {
        limits.remove(session);
    }

    @Override
    public void message(Session session, Envelope envelope) {
        PeerLimit limit = limits.get(session);
        if (limit == null || envelope.getRequestId() == 0) {
            return; // gone, or not a request: nothing to answer
        }
        DialBackRequest request = envelope.getDialBackRequest();
        if (session.connection() == ConnectionType.RELAYED) { // the link's address is the relay's: a third party
            metrics.dialBacksRefused.increment();
            respond(session, envelope, DialBackResponse.Status.REFUSED, "not over a relayed link");
            return;
        }
        DialBackTargets.Result target = DialBackTargets.check(request.getAddress(), session.remoteAddress());
        if (target.target().isEmpty()) {
            metrics.dialBacksRefused.increment();
            respond(session, envelope, DialBackResponse.Status.REFUSED, target.refusal());
            return;
        }
        if (!admit(session, limit)) {
            metrics.dialBacksRefused.increment();
            session.respondError(envelope, ErrorResponse.Code.BUSY, "dial-back rate limit");
            return;
        }
        PeerAddress address = target.target().get();
        log.debug("Dialing back {} at {}", session.nodeId().shortForm(), address);
        try {
            host.dialBack(address, session.nodeId(), request.getNonce(), config.dialBackTimeout())
                    .whenComplete((ok, error) -> {
                        running.decrementAndGet();
                        if (error == null) {
                            metrics.dialBacksSucceeded.increment();
                            respond(session, envelope, DialBackResponse.Status.OK, "");
                            reachableAt.accept(session.nodeId(), address);
                        } else {
                            metrics.dialBacksFailed.increment();
                            respond(session, envelope, DialBackResponse.Status.DIAL_ERROR, String.valueOf(error.getMessage()));
                        }
                    });
        } catch (IllegalStateException closing) {
            running.decrementAndGet();
        }
    }

    /** Takes a token of the peer and a slot of the node; false (and maybe a score) when over either limit. */
    private boolean admit(Session session, PeerLimit limit) {
        boolean allowed;
        boolean penalize;
        synchronized (limit) {
            allowed = limit.bucket.tryTake(System.nanoTime());
            penalize = !allowed && ++limit.refusals % 10 == 0;
        }
        if (penalize) {
            misconduct.report(session, Misconduct.Kind.SPAM, "DialBackRequest far over the rate limit");
        }
        if (!allowed) {
            return false;
        }
        if (running.incrementAndGet() > config.maxConcurrentDialBacks()) {
            running.decrementAndGet();
            return false;
        }
        return true;
    }

    private static void respond(Session session, Envelope request, DialBackResponse.Status status, String detail) {
        String bounded = detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
        session.respond(request, Envelope.newBuilder()
                .setDialBackResponse(DialBackResponse.newBuilder().setStatus(status).setDetail(bounded)).build());
    }

    @Override
    public void close() {
        limits.clear();
    }
}
