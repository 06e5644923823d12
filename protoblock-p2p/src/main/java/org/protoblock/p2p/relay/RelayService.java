package org.protoblock.p2p.relay;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.protoblock.p2p.discovery.Misconduct;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.ConnectionType;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.protocol.Protocol;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;
import org.protoblock.p2p.wire.proto.RelayConnectResult;
import org.protoblock.p2p.wire.proto.RelayIncoming;
import org.protoblock.p2p.wire.proto.RelayReservation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's protocol (circuit relay v2, hop side): {@code RelayReserve} and {@code RelayConnect}
 * from peers; {@code RelayIncoming} to the target over its reservation session.
 *
 * <p>Rules:
 * <ul>
 *   <li>We serve only while {@code serving} says so (RELAY configured and, by default, our
 *       reachability public); otherwise NO_RELAY. Reservations and circuits obey {@link RelayLimits}.
 *       A reservation lives with its session: the session closing drops it.</li>
 *   <li>RelayConnect: the target must hold a reservation; we take a circuit slot, issue a random
 *       token to the {@link CircuitSwitch}, ask the target (RelayIncoming, {@link RelayConfig#REQUEST_TIMEOUT});
 *       accepted: the requester gets OK and the token, both ends connect within the pending timeout;
 *       refused, unanswered or not arrived in time: the token expires and the slot is given back.</li>
 *   <li>Abuse: a malformed target id, a circuit to oneself, or a relay request over a relayed link
 *       (circuits are not stacked) is BAD_REQUEST and scores MALFORMED; every 8th refusal of a peer
 *       over the limits scores SPAM.</li>
 * </ul>
 *
 * <p>Threads: the books (limits, reservation sessions, refusal counts) belong to the service's own
 * thread ({@code p2p-relay-…}); messages and circuit ends hop onto it.
 */
public final class RelayService implements Protocol {
    private static final Logger log = LoggerFactory.getLogger(RelayService.class);
    private static final int SPAM_EVERY = 8;

    private final RelayConfig config;
    private final CircuitSwitch circuits;
    private final BooleanSupplier serving;
    private final Misconduct misconduct;
    private final P2pMetrics metrics;
    private final Clock clock;
    private final OwnedExecutor executor;
    private final RelayLimits limits;
    private final Map<NodeId, Session> reserved = new HashMap<>();
    private final Map<Session, Integer> refusals = new HashMap<>();
    private volatile int reservationCount;

    /** @param serving whether we relay now (RELAY configured and our reachability allows it); any thread */
    public RelayService(NodeId self, RelayConfig config, CircuitSwitch circuits, BooleanSupplier serving,
                        Misconduct misconduct, P2pMetrics metrics, Clock clock) {
        this.config = config;
        this.circuits = circuits;
        this.serving = serving;
        this.misconduct = misconduct;
        this.metrics = metrics;
        this.clock = clock;
        this.limits = new RelayLimits(config);
        // one task per message of a peer, bounded by the sessions' request caps: executeAlways
        this.executor = new OwnedExecutor("p2p-relay-" + self.shortForm(), 4_096);
    }

    @Override
    public Set<Envelope.BodyCase> messageTypes() {
        return Set.of(Envelope.BodyCase.RELAY_RESERVE, Envelope.BodyCase.RELAY_CONNECT);
    }

    /** Reservations we hold for others now. Any thread. */
    public int reservationsServed() {
        return reservationCount;
    }

    /** Circuits spliced and open now. Any thread. */
    public int openCircuits() {
        return circuits.openCircuits();
    }

    /** Circuits spliced since start, and the bytes relayed over them (both directions). Any thread. */
    public long circuitsSpliced() {
        return circuits.circuitsSpliced();
    }

    public long bytesRelayed() {
        return circuits.bytesRelayed();
    }

    @Override
    public void connected(Session session, Hello remoteHello) {
    }

    @Override
    public void disconnected(Session session, DisconnectReason reason, boolean byUs) {
        executor.executeAlways(() -> {
            refusals.remove(session);
            if (reserved.get(session.nodeId()) == session) {
                reserved.remove(session.nodeId());
                limits.drop(session.nodeId());
                reservationCount = limits.reservations();
            }
        });
    }

    @Override
    public void message(Session session, Envelope envelope) {
        if (envelope.getRequestId() == 0) {
            return; // both are requests; a one-way one has nobody to answer
        }
        executor.executeAlways(() -> {
            if (!session.isOpen()) {
                return;
            }
            if (session.connection() == ConnectionType.RELAYED) {
                malformed(session, envelope, "relay request over a relayed link");
            } else if (envelope.getBodyCase() == Envelope.BodyCase.RELAY_RESERVE) {
                reserve(session, envelope);
            } else {
                connect(session, envelope);
            }
        });
    }

    private void reserve(Session session, Envelope request) {
        RelayReservation.Builder answer = RelayReservation.newBuilder();
        if (!serving.getAsBoolean()) {
            answer.setStatus(RelayReservation.Status.NO_RELAY);
        } else if (limits.reserve(session.nodeId(), session.remoteAddress().host(), clock.instant()) == RelayLimits.Outcome.OK) {
            Session before = reserved.put(session.nodeId(), session);
            answer.setStatus(RelayReservation.Status.OK)
                    .setExpires(limits.expiry(session.nodeId()).orElseThrow().getEpochSecond());
            metrics.relayReservationsGranted.increment();
            if (before != session) {
                log.info("Relay: reservation for {} at {}", session.nodeId().shortForm(), session.remoteAddress());
            }
        } else {
            metrics.relayReservationsRefused.increment();
            refused(session);
            answer.setStatus(RelayReservation.Status.RESOURCE_LIMIT);
        }
        reservationCount = limits.reservations();
        session.respond(request, Envelope.newBuilder().setRelayReservation(answer).build());
    }

    private void connect(Session session, Envelope request) {
        ByteString targetBytes = request.getRelayConnect().getTarget();
        if (targetBytes.size() != NodeId.BYTES) {
            malformed(session, request, "RelayConnect target of " + targetBytes.size() + " bytes");
            return;
        }
        NodeId target = NodeId.fromBytes(targetBytes.toByteArray());
        if (target.equals(session.nodeId())) {
            malformed(session, request, "RelayConnect to oneself");
            return;
        }
        if (!serving.getAsBoolean()) {
            answer(session, request, RelayConnectResult.Status.NO_RELAY, Optional.empty());
            return;
        }
        Session targetSession = reserved.get(target);
        RelayLimits.Outcome outcome = targetSession == null || !targetSession.isOpen()
                ? RelayLimits.Outcome.NO_RESERVATION : limits.openCircuit(target, clock.instant());
        if (outcome != RelayLimits.Outcome.OK) {
            if (outcome == RelayLimits.Outcome.RESOURCE_LIMIT) {
                refused(session);
            }
            answer(session, request, outcome == RelayLimits.Outcome.NO_RESERVATION
                    ? RelayConnectResult.Status.NO_RESERVATION : RelayConnectResult.Status.RESOURCE_LIMIT, Optional.empty());
            return;
        }
        byte[] token = CircuitPreamble.newToken();
        circuits.expect(token, config.circuitBudget(), (spliced, bytes) -> executor.executeAlways(() -> {
            limits.circuitClosed(target);
            if (spliced) {
                log.debug("Relay: circuit {} -> {} closed after {} bytes", session.nodeId().shortForm(), target.shortForm(), bytes);
            }
        }));
        if (executor.schedule(config.pendingTimeout(), () -> circuits.expire(token)).isEmpty()) {
            circuits.expire(token); // closing
            return;
        }
        Envelope incoming = Envelope.newBuilder().setRelayIncoming(RelayIncoming.newBuilder()
                .setFrom(ByteString.copyFrom(session.nodeId().toBytes())).setToken(ByteString.copyFrom(token))).build();
        targetSession.request(incoming, RelayConfig.REQUEST_TIMEOUT).whenComplete((reply, error) -> executor.executeAlways(() -> {
            boolean accepted = error == null && reply.getBodyCase() == Envelope.BodyCase.RELAY_INCOMING_RESULT
                    && reply.getRelayIncomingResult().getAccepted();
            if (accepted) {
                answer(session, request, RelayConnectResult.Status.OK, Optional.of(token));
            } else {
                circuits.expire(token);
                answer(session, request, RelayConnectResult.Status.REFUSED, Optional.empty());
            }
        }));
    }

    private void answer(Session session, Envelope request, RelayConnectResult.Status status, Optional<byte[]> token) {
        RelayConnectResult.Builder result = RelayConnectResult.newBuilder().setStatus(status);
        token.ifPresent(t -> result.setToken(ByteString.copyFrom(t)));
        session.respond(request, Envelope.newBuilder().setRelayConnectResult(result).build());
    }

    private void refused(Session session) {
        int n = refusals.merge(session, 1, Integer::sum);
        if (n % SPAM_EVERY == 0) {
            misconduct.report(session, Misconduct.Kind.SPAM, n + " relay requests over the limits");
        }
    }

    private void malformed(Session session, Envelope request, String detail) {
        session.respondError(request, ErrorResponse.Code.BAD_REQUEST, detail);
        misconduct.report(session, Misconduct.Kind.MALFORMED, detail);
    }

    @Override
    public void close() {
        executor.close();
    }
}
