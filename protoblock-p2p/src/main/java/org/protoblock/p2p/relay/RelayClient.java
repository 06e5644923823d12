package org.protoblock.p2p.relay;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.protoblock.p2p.discovery.SignedRecord;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.handshake.Service;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.ConnectionType;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.protocol.Protocol;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.RelayConnect;
import org.protoblock.p2p.wire.proto.RelayConnectResult;
import org.protoblock.p2p.wire.proto.RelayIncomingResult;
import org.protoblock.p2p.wire.proto.RelayReservation;
import org.protoblock.p2p.wire.proto.RelayReserve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ends' side of circuit relay: keeps reservations on relays while we need them, takes the
 * circuits relays announce to us, and dials nodes through their relays.
 *
 * <p>Rules:
 * <ul>
 *   <li>Reservations: every {@code clientTick}, while {@code wanted} (our reachability is not
 *       public), we hold up to {@code keepReservations}, each on a peer we dialed directly whose
 *       Hello offers RELAY (offered until the relay knows it is private: it refuses while not
 *       public, and is asked again at the next tick); refreshed once half their lifetime passed; one that the relay refuses or
 *       whose session closes is dropped (another relay is tried at the next tick). When not
 *       wanted, all are forgotten (the relays drop them with the sessions or at expiry). Each change
 *       publishes our relayed addresses (relay id + the address we dialed it at).</li>
 *   <li>Incoming: a RelayIncoming is taken only from a relay holding our reservation, with a
 *       well-formed id and token, and at most {@link #MAX_INCOMING} circuits in their handshake at
 *       once; then we connect to the relay with the token and run the stack as Noise responder
 *       insisting on the announced node id.</li>
 *   <li>Dialing ({@link #dial}): a session to the relay (the open one, or a direct dial insisting
 *       on the relay's id), RelayConnect, then a circuit connection as Noise initiator insisting on
 *       the target's id. The relay thus never holds keys of either end.</li>
 * </ul>
 *
 * <p>Threads: reservations belong to the client's own thread ({@code p2p-relay-client-…}); the
 * incoming count is atomic; dials continue on whichever thread completes their step.
 */
public final class RelayClient implements Protocol {
    public static final int MAX_INCOMING = 8;
    private static final Logger log = LoggerFactory.getLogger(RelayClient.class);

    /** A reservation we hold: on which session, reaching the relay at which address, until when. */
    private record Held(Session session, PeerAddress relayAddress, Instant expires, Instant refreshAfter) {
    }

    private final PeerHost host;
    private final RelayConfig config;
    private final BooleanSupplier wanted;
    private final Consumer<List<SignedRecord.Address>> publish;
    private final P2pMetrics metrics;
    private final Clock clock;
    private final OwnedExecutor executor;
    private final Map<NodeId, Held> held = new LinkedHashMap<>();
    /** Relays asked and not yet answered: not asked twice. */
    private final Set<NodeId> asking = new HashSet<>();
    /** Circuits we accepted still in their handshake; raised on our thread only, lowered by their outcome. */
    private final AtomicInteger incoming = new AtomicInteger();
    private volatile List<SignedRecord.Address> published = List.of();
    private Optional<ScheduledFuture<?>> ticker = Optional.empty();

    /**
     * @param wanted  whether we need relays now (our reachability is not public); any thread
     * @param publish hears our relayed addresses whenever they change (discovery signs them into our record)
     */
    public RelayClient(PeerHost host, RelayConfig config, BooleanSupplier wanted, Consumer<List<SignedRecord.Address>> publish,
                       P2pMetrics metrics, Clock clock) {
        this.host = host;
        this.config = config;
        this.wanted = wanted;
        this.publish = publish;
        this.metrics = metrics;
        this.clock = clock;
        this.executor = new OwnedExecutor("p2p-relay-client-" + host.nodeId().shortForm(), 1_024);
    }

    /** Starts keeping reservations (when {@code keepReservations} is above 0). */
    public synchronized void start() {
        if (config.keepReservations() > 0 && ticker.isEmpty()) {
            ticker = executor.scheduleEvery(config.clientTick(), config.clientTick(), this::tick);
        }
    }

    /** Checks the reservations now (tests; the timer does it every tick). */
    public void tickNow() {
        executor.execute(this::tick);
    }

    /** Relays holding a reservation for us now. Any thread. */
    public List<SignedRecord.Address> relayedAddresses() {
        return published;
    }

    @Override
    public Set<Envelope.BodyCase> messageTypes() {
        return Set.of(Envelope.BodyCase.RELAY_INCOMING);
    }

    @Override
    public void connected(Session session, Hello remoteHello) {
        if (config.keepReservations() > 0 && remoteHello.services().contains(Service.RELAY)) {
            executor.execute(this::tick); // a relay arrived: maybe the one we lack
        }
    }

    @Override
    public void disconnected(Session session, DisconnectReason reason, boolean byUs) {
        executor.executeAlways(() -> {
            Held h = held.get(session.nodeId());
            if (h != null && h.session == session) {
                held.remove(session.nodeId());
                log.info("Relay {} gone ({}): reservation dropped", session.nodeId().shortForm(), reason);
                publish();
            }
        });
    }

    private void tick() {
        if (!wanted.getAsBoolean()) {
            if (!held.isEmpty()) {
                held.clear();
                publish();
            }
            return;
        }
        Instant now = clock.instant();
        held.values().removeIf(h -> !h.session.isOpen() || !h.expires.isAfter(now));
        held.values().stream().filter(h -> !now.isBefore(h.refreshAfter) && !asking.contains(h.session.nodeId()))
                .toList().forEach(h -> reserve(h.session));
        long newAsked = asking.stream().filter(id -> !held.containsKey(id)).count();
        long missing = config.keepReservations() - held.size() - newAsked;
        List<Session> candidates = new ArrayList<>();
        for (Session s : host.sessions()) {
            if (s.isOpen() && s.direction() == Direction.OUTBOUND && s.connection() == ConnectionType.DIRECT
                    && s.remoteHello().services().contains(Service.RELAY)
                    && !held.containsKey(s.nodeId()) && !asking.contains(s.nodeId())) {
                candidates.add(s);
            }
        }
        candidates.stream().limit(Math.max(0, missing)).forEach(this::reserve);
        publish();
    }

    private void reserve(Session relay) {
        asking.add(relay.nodeId());
        relay.request(Envelope.newBuilder().setRelayReserve(RelayReserve.getDefaultInstance()).build(), RelayConfig.REQUEST_TIMEOUT)
                .whenComplete((reply, error) -> executor.executeAlways(() -> reserved(relay, reply, error)));
    }

    private void reserved(Session relay, Envelope reply, Throwable error) {
        asking.remove(relay.nodeId());
        boolean ok = error == null && reply.getBodyCase() == Envelope.BodyCase.RELAY_RESERVATION
                && reply.getRelayReservation().getStatus() == RelayReservation.Status.OK;
        if (!ok || !relay.isOpen()) {
            if (held.remove(relay.nodeId()) != null) {
                publish();
            }
            log.debug("Relay {} refused a reservation: {}", relay.nodeId().shortForm(),
                    error != null ? error.toString() : reply.getRelayReservation().getStatus());
            return;
        }
        Instant now = clock.instant();
        Instant expires = Instant.ofEpochSecond(reply.getRelayReservation().getExpires());
        Instant refresh = now.plus(java.time.Duration.between(now, expires).dividedBy(2));
        boolean fresh = !held.containsKey(relay.nodeId());
        held.put(relay.nodeId(), new Held(relay, relay.remoteAddress(), expires, refresh));
        if (fresh) {
            log.info("Reservation at relay {} ({}) until {}", relay.nodeId().shortForm(), relay.remoteAddress(), expires);
        }
        publish();
    }

    private void publish() {
        List<SignedRecord.Address> now = held.entrySet().stream()
                .map(e -> SignedRecord.Address.relayed(e.getKey(), e.getValue().relayAddress)).toList();
        if (!now.equals(published)) {
            published = now;
            publish.accept(now);
        }
    }

    @Override
    public void message(Session session, Envelope envelope) {
        if (envelope.getRequestId() == 0) {
            return;
        }
        executor.executeAlways(() -> takeIncoming(session, envelope));
    }

    private void takeIncoming(Session relay, Envelope request) {
        Held h = held.get(relay.nodeId());
        ByteString from = request.getRelayIncoming().getFrom();
        ByteString token = request.getRelayIncoming().getToken();
        boolean wellFormed = from.size() == NodeId.BYTES && token.size() == CircuitPreamble.TOKEN_BYTES;
        boolean ourRelay = h != null && h.session == relay;
        if (!wellFormed || !ourRelay || incoming.get() >= MAX_INCOMING) {
            log.debug("Refusing a circuit announced by {}: {}", relay.nodeId().shortForm(),
                    !ourRelay ? "no reservation there" : !wellFormed ? "malformed" : "too many in their handshake");
            relay.respond(request, Envelope.newBuilder().setRelayIncomingResult(RelayIncomingResult.newBuilder().setAccepted(false)).build());
            return;
        }
        incoming.incrementAndGet();
        NodeId peer = NodeId.fromBytes(from.toByteArray());
        relay.respond(request, Envelope.newBuilder().setRelayIncomingResult(RelayIncomingResult.newBuilder().setAccepted(true)).build());
        CompletableFuture<Session> link;
        try {
            link = host.dialVia(h.relayAddress, new CircuitPreamble.Writer(token.toByteArray()), ConnectionType.RELAYED,
                    Direction.INBOUND, Optional.of(peer));
        } catch (IllegalStateException closing) {
            incoming.decrementAndGet();
            return;
        }
        link.whenComplete((session, error) -> {
            incoming.decrementAndGet();
            if (error == null) {
                metrics.relayedLinks.increment();
                log.info("Relayed link from {} through relay {}", peer.shortForm(), relay.nodeId().shortForm());
            } else {
                log.debug("Relayed link from {} through {} failed: {}", peer.shortForm(), relay.nodeId().shortForm(), error.toString());
            }
        });
    }

    /**
     * A session with {@code target} through the relay named by {@code relayed} (an address of the
     * target's record). Fails with {@link RelayDialException} saying which step failed. RelayConnect
     * waits twice the relay's own wait for the target's answer, so the relay's verdict arrives.
     */
    public CompletableFuture<Session> dial(NodeId target, SignedRecord.Address relayed) {
        NodeId relayId = relayed.relay().orElseThrow(() -> new IllegalArgumentException("not a relayed address: " + relayed));
        PeerAddress relayAddress = relayed.address();
        CompletableFuture<Session> toRelay = host.session(relayId).filter(Session::isOpen)
                .map(CompletableFuture::completedFuture)
                .orElseGet(() -> host.dial(relayAddress, Optional.of(relayId)));
        return toRelay.thenCompose(relay -> relay.request(Envelope.newBuilder().setRelayConnect(RelayConnect.newBuilder()
                        .setTarget(ByteString.copyFrom(target.toBytes()))).build(), RelayConfig.REQUEST_TIMEOUT.multipliedBy(2)))
                .thenCompose(reply -> {
                    if (reply.getBodyCase() != Envelope.BodyCase.RELAY_CONNECT_RESULT
                            || reply.getRelayConnectResult().getStatus() != RelayConnectResult.Status.OK
                            || reply.getRelayConnectResult().getToken().size() != CircuitPreamble.TOKEN_BYTES) {
                        String why = reply.getBodyCase() == Envelope.BodyCase.RELAY_CONNECT_RESULT
                                ? reply.getRelayConnectResult().getStatus().name() : reply.getBodyCase().name();
                        throw new RelayDialException("relay " + relayId.shortForm() + " refused a circuit: " + why);
                    }
                    byte[] token = reply.getRelayConnectResult().getToken().toByteArray();
                    return host.dialVia(relayAddress, new CircuitPreamble.Writer(token), ConnectionType.RELAYED,
                            Direction.OUTBOUND, Optional.of(target));
                })
                .whenComplete((session, error) -> {
                    if (error == null) {
                        metrics.relayedLinks.increment();
                        log.info("Relayed link to {} through relay {}", target.shortForm(), relayId.shortForm());
                    }
                });
    }

    @Override
    public void close() {
        executor.close();
    }
}
