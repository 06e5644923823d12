package org.protoblock.p2p.holepunch;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.protoblock.p2p.discovery.Misconduct;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.host.PunchExpectations;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.ConnectionType;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.metrics.HolePunchFailure;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.protocol.Protocol;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hole punching over relayed links, DCUtR-style. Names as in DCUtR: A dialed the relayed link (it
 * found B by B's record), B took it (B is reachable only through its relay).
 *
 * <p>Rules:
 * <ul>
 *   <li>Who: B coordinates, as in DCUtR. A relayed session we took (INBOUND) starts a punch unless
 *       its peer waits in {@link PunchBackoff}, {@code maxConcurrent} punches are in progress, or
 *       our transport cannot dial from the TCP port we listen on.</li>
 *   <li>Round: B sends HolePunchConnect (a request) with its candidates ({@link OwnCandidates}); A
 *       answers with its own and keeps B's for {@code syncTimeout}. B takes the round trip of that
 *       exchange, sends HolePunchSync and dials A's addresses after half of it; A dials B's at once
 *       on Sync, so both SYNs leave about when the other's arrives.</li>
 *   <li>Roles: every punch dial leaves from our listening port ({@link PeerHost#dialFrom}); the
 *       connection is a TCP simultaneous open on which both ends called connect, so the Noise roles
 *       come from here: A is the initiator (OUTBOUND), B the responder (INBOUND on its outbound
 *       socket), as DCUtR makes A the client. The link is HOLEPUNCHED and the session table lets it
 *       replace the relayed one (closed DUPLICATE_CONNECTION, "replaced by a holepunched link"):
 *       one more Noise handshake, nothing else dialed.</li>
 *   <li>Where the peer's SYN reaches our listening socket instead (our own dial to that 4-tuple
 *       was not in flight yet, or failed), the accepted link takes the punch's role and is
 *       HOLEPUNCHED too ({@link PeerHost#expectPunch}, registered before the peer can dial). A round
 *       succeeds when a HOLEPUNCHED session to the peer comes up by either path; when our dials
 *       failed, such a link gets {@link #ACCEPT_GRACE} to be accepted, then the host's handshake
 *       timeout to finish.</li>
 *   <li>Attempts: at most {@code maxAttempts} rounds per relayed link, {@code retryDelay} apart,
 *       each bounded by {@code answerTimeout}, {@code dialTimeout} and the handshake timeout. Only
 *       failed dials are retried (no answer, or no addresses on either side, end the punch). After
 *       a punch failed the peer waits in {@link PunchBackoff}; the relayed link stays.</li>
 *   <li>Answering (A): HolePunchConnect only over a relayed link we dialed, at most
 *       {@code maxAttempts} per link (else BAD_REQUEST, or BUSY); a Connect ends our previous round
 *       over the same link, whose dials the coordinator gave up on; malformed addresses
 *       ({@link PunchAddresses}) are BAD_REQUEST and score MALFORMED. A Sync with no Connect
 *       answered before it is ignored.</li>
 * </ul>
 * Metrics: each round counts as an attempt and ends as one success or one failure by reason.
 *
 * <p>Threads: all state (punches we coordinate, rounds in progress, Connects answered per link,
 * backoff) belongs to the service's own thread ({@code p2p-holepunch-…}); peer events,
 * replies, timers and dial outcomes are handed to it.
 */
public final class HolePunchService implements Protocol {
    private static final Logger log = LoggerFactory.getLogger(HolePunchService.class);
    /** How long failed dials wait for a link from the peer that the kernel accepted but our listener has not yet taken. */
    static final Duration ACCEPT_GRACE = Duration.ofSeconds(1);

    private final PeerHost host;
    private final HolePunchConfig config;
    private final Supplier<List<PeerAddress>> candidates;
    private final Misconduct misconduct;
    private final P2pMetrics metrics;
    private final Clock clock;
    private final OwnedExecutor executor;
    private final PunchBackoff backoff;
    /** B: relayed sessions we coordinate a punch on (from the first round to the last). */
    private final Set<Session> coordinating = new HashSet<>();
    /** Rounds past the exchange of addresses, in either role, by peer (at most one per peer). */
    private final Map<NodeId, PunchRound> rounds = new HashMap<>();
    /** A: Connects answered per relayed session (forgotten with the session). */
    private final Map<Session, Integer> answered = new HashMap<>();

    /**
     * @param candidates our addresses to offer ({@link OwnCandidates} in a node)
     * @param misconduct where malformed hole-punch messages are scored
     */
    public HolePunchService(PeerHost host, HolePunchConfig config, Supplier<List<PeerAddress>> candidates,
                            Misconduct misconduct, P2pMetrics metrics, Clock clock) {
        this.host = host;
        this.config = config;
        this.candidates = candidates;
        this.misconduct = misconduct;
        this.metrics = metrics;
        this.clock = clock;
        this.backoff = new PunchBackoff(config.backoff(), config.maxBackoff());
        this.executor = new OwnedExecutor("p2p-holepunch-" + host.nodeId().shortForm(), 1_024);
    }

    @Override
    public Set<Envelope.BodyCase> messageTypes() {
        return Set.of(Envelope.BodyCase.HOLE_PUNCH_CONNECT, Envelope.BodyCase.HOLE_PUNCH_SYNC);
    }

    @Override
    public void connected(Session session, Hello remoteHello) {
        if (session.connection() == ConnectionType.HOLEPUNCHED) {
            executor.executeAlways(() -> {
                PunchRound round = rounds.get(session.nodeId());
                if (round != null) {
                    succeeded(round, session.remoteAddress());
                }
            });
        } else if (config.enabled() && session.connection() == ConnectionType.RELAYED && session.direction() == Direction.INBOUND) {
            executor.execute(() -> start(session));
        }
    }

    @Override
    public void disconnected(Session session, DisconnectReason reason, boolean byUs) {
        if (session.connection() == ConnectionType.RELAYED) {
            executor.executeAlways(() -> {
                answered.remove(session);
                PunchRound round = rounds.get(session.nodeId());
                // Once dialing, the relayed link may close because the punched one replaced it: the dials settle the round.
                if (round != null && round.relayed == session && !round.dialing) {
                    failed(round, HolePunchFailure.RELAY_CLOSED, "the relayed link closed before the dials");
                }
            });
        }
    }

    @Override
    public void message(Session session, Envelope envelope) {
        switch (envelope.getBodyCase()) {
            case HOLE_PUNCH_CONNECT -> {
                if (envelope.getRequestId() != 0 && !envelope.getIsResponse()) {
                    executor.executeAlways(() -> connectAsked(session, envelope));
                }
            }
            case HOLE_PUNCH_SYNC -> executor.execute(() -> syncReceived(session));
            default -> { }
        }
    }

    /** Punches in progress in either role (tests). Any thread. */
    public int inProgress() {
        return executor.call(this::inProgressNow, Duration.ofSeconds(5));
    }

    // ---- B: the coordinator

    private void start(Session relayed) {
        Optional<Integer> port = OwnCandidates.listenPort(host);
        if (!host.transport().dialsFromListenPort() || port.isEmpty()) {
            log.debug("No hole punch to {}: {}", relayed.nodeId().shortForm(),
                    port.isEmpty() ? "we listen on no TCP port" : "the transport cannot dial from its listening port");
            return;
        }
        if (coordinating.contains(relayed) || rounds.containsKey(relayed.nodeId()) || busy()) {
            log.debug("No hole punch to {} now: {} punches in progress", relayed.nodeId().shortForm(), inProgressNow());
            return;
        }
        if (!backoff.allowed(relayed.nodeId(), clock.instant())) {
            log.debug("No hole punch to {} before {} (earlier punches failed)", relayed.nodeId().shortForm(),
                    backoff.retryAt(relayed.nodeId(), clock.instant()));
            return;
        }
        coordinating.add(relayed);
        round(relayed, 1);
    }

    private void round(Session relayed, int attempt) {
        if (!stillRelayed(relayed)) {
            coordinating.remove(relayed);
            return;
        }
        metrics.holePunchAttempts.increment();
        List<PeerAddress> ours = candidates.get();
        if (ours.isEmpty()) {
            giveUp(relayed, attempt, HolePunchFailure.NO_ADDRESSES,
                    "no address of ours to offer (no peer we dialed has told us where it sees us)");
            return;
        }
        long sent = System.nanoTime();
        relayed.request(PunchAddresses.connect(ours), config.answerTimeout())
                .whenComplete((reply, error) -> executor.executeAlways(() -> answeredToUs(relayed, attempt, sent, reply, error)));
    }

    private void answeredToUs(Session relayed, int attempt, long sent, Envelope reply, Throwable error) {
        long rttNanos = System.nanoTime() - sent;
        if (error != null || reply.getBodyCase() != Envelope.BodyCase.HOLE_PUNCH_CONNECT) {
            giveUp(relayed, attempt, relayed.isOpen() ? HolePunchFailure.NO_ANSWER : HolePunchFailure.RELAY_CLOSED,
                    error != null ? String.valueOf(error.getMessage()) : "answered " + reply.getBodyCase());
            return;
        }
        PunchAddresses.Decoded theirs = PunchAddresses.decode(reply.getHolePunchConnect(), config.loopbackCandidates());
        if (theirs.malformed().isPresent()) {
            misconduct.report(relayed, Misconduct.Kind.MALFORMED, "HolePunchConnect answer: " + theirs.malformed().get());
            giveUp(relayed, attempt, HolePunchFailure.NO_ANSWER, "malformed answer: " + theirs.malformed().get());
            return;
        }
        if (theirs.addresses().isEmpty()) {
            giveUp(relayed, attempt, HolePunchFailure.NO_ADDRESSES, "the peer offered no address");
            return;
        }
        // Expect A's SYN at our listener from now on: A dials as soon as our Sync arrives.
        PunchRound round = new PunchRound(relayed, Direction.INBOUND, attempt, sent, theirs.addresses(),
                host.expectPunch(relayed.nodeId(), theirs.addresses(), Direction.INBOUND), ok -> afterRound(relayed, attempt, ok));
        rounds.put(relayed.nodeId(), round);
        if (!relayed.send(PunchAddresses.sync())) {
            failed(round, HolePunchFailure.RELAY_CLOSED, "the Sync could not be sent");
            return;
        }
        // The Sync reaches A after about half the round trip; A dials then, we dial now + rtt/2.
        if (executor.schedule(Duration.ofNanos(rttNanos / 2), () -> dial(round)).isEmpty()) {
            round.expecting.close(); // closing
        }
    }

    private void afterRound(Session relayed, int attempt, boolean ok) {
        if (ok) {
            coordinating.remove(relayed);
        } else if (attempt < config.maxAttempts() && stillRelayed(relayed)) {
            if (executor.schedule(config.retryDelay(), () -> round(relayed, attempt + 1)).isEmpty()) {
                coordinating.remove(relayed);
            }
        } else {
            punchFailed(relayed, attempt);
        }
    }

    /** A round ended before any dial: the punch ends (backoff), the relayed link stays. */
    private void giveUp(Session relayed, int attempt, HolePunchFailure reason, String detail) {
        countFailure(relayed, reason, detail);
        punchFailed(relayed, attempt);
    }

    private void punchFailed(Session relayed, int attempts) {
        coordinating.remove(relayed);
        backoff.failed(relayed.nodeId(), clock.instant());
        log.info("Hole punch to node {} failed after {} attempt{}; staying relayed, next try not before {}",
                relayed.nodeId().shortForm(), attempts, attempts == 1 ? "" : "s", backoff.retryAt(relayed.nodeId(), clock.instant()));
    }

    // ---- A: the answering side

    private void connectAsked(Session relayed, Envelope request) {
        if (relayed.connection() != ConnectionType.RELAYED || relayed.direction() != Direction.OUTBOUND) {
            relayed.respondError(request, ErrorResponse.Code.BAD_REQUEST, "HolePunchConnect only over a relayed link the receiver dialed");
            return;
        }
        PunchAddresses.Decoded theirs = PunchAddresses.decode(request.getHolePunchConnect(), config.loopbackCandidates());
        if (theirs.malformed().isPresent()) {
            misconduct.report(relayed, Misconduct.Kind.MALFORMED, "HolePunchConnect: " + theirs.malformed().get());
            relayed.respondError(request, ErrorResponse.Code.BAD_REQUEST, theirs.malformed().get());
            return;
        }
        int asked = answered.merge(relayed, 1, Integer::sum);
        PunchRound previous = rounds.get(relayed.nodeId());
        if (previous != null && previous.relayed == relayed) {
            // The coordinator gave up on it and starts the next round: our dials may still be pending.
            failed(previous, HolePunchFailure.DIAL, "the peer started its next round");
        }
        if (!config.enabled() || asked > config.maxAttempts() || busy() || rounds.containsKey(relayed.nodeId())
                || !host.transport().dialsFromListenPort() || OwnCandidates.listenPort(host).isEmpty()) {
            relayed.respondError(request, ErrorResponse.Code.BUSY, "no hole punch now");
            return;
        }
        metrics.holePunchAttempts.increment();
        List<PeerAddress> ours = candidates.get();
        relayed.respond(request, PunchAddresses.connect(ours));
        if (ours.isEmpty() || theirs.addresses().isEmpty()) {
            countFailure(relayed, HolePunchFailure.NO_ADDRESSES, ours.isEmpty() ? "no address of ours to offer" : "the peer offered no address");
            return;
        }
        // B dials half a round trip after its Sync: its SYN may come before ours leaves.
        PunchRound round = new PunchRound(relayed, Direction.OUTBOUND, asked, System.nanoTime(), theirs.addresses(),
                host.expectPunch(relayed.nodeId(), theirs.addresses(), Direction.OUTBOUND), ok -> { });
        rounds.put(relayed.nodeId(), round);
        executor.schedule(config.syncTimeout(), () -> {
            if (!round.dialing) {
                failed(round, HolePunchFailure.NO_ANSWER, "no Sync within " + config.syncTimeout().toMillis() + " ms");
            }
        });
    }

    private void syncReceived(Session relayed) {
        PunchRound round = rounds.get(relayed.nodeId());
        if (round == null || round.relayed != relayed || round.role != Direction.OUTBOUND || round.dialing) {
            log.debug("HolePunchSync from {} without a Connect answered: ignored", relayed.nodeId().shortForm());
            return;
        }
        dial(round);
    }

    // ---- both

    /** Dials every address of the peer from our listening port in the round's Noise role. */
    private void dial(PunchRound round) {
        if (round.done) {
            return;
        }
        Optional<Session> direct = host.session(round.relayed.nodeId()).filter(s -> s.isOpen() && s.connection() != ConnectionType.RELAYED);
        if (direct.isPresent()) { // the peer's SYN reached our listener first: its link replaced the relayed one
            succeeded(round, direct.get().remoteAddress());
            return;
        }
        if (round.role == Direction.INBOUND && !stillRelayed(round.relayed)) {
            failed(round, HolePunchFailure.RELAY_CLOSED, "the relayed link closed before the dials");
            return;
        }
        round.dialing = true;
        int port = OwnCandidates.listenPort(host).orElseThrow();
        PunchDials.first(host, port, round.theirs, round.role, round.relayed.nodeId(), config.dialTimeout())
                .whenComplete((punched, error) -> executor.executeAlways(() -> {
                    if (error == null) {
                        succeeded(round, punched.address());
                    } else {
                        // The peer's SYN may have reached our listener instead (our connect then fails at
                        // once: "address not available"), and its accept may not have run yet.
                        executor.schedule(ACCEPT_GRACE, () -> dialsFailed(round, String.valueOf(error.getMessage())));
                    }
                }));
    }

    private void dialsFailed(PunchRound round, String why) {
        if (round.done) {
            return;
        }
        if (round.expecting.arrived() > 0) { // a link from the peer came to our listener: its handshake may still run
            executor.schedule(host.config().handshakeTimeout(), () -> failed(round, HolePunchFailure.DIAL, why));
        } else {
            failed(round, HolePunchFailure.DIAL, why);
        }
    }

    private void succeeded(PunchRound round, PeerAddress at) {
        if (!end(round)) {
            return;
        }
        metrics.holePunchSuccesses.increment();
        backoff.succeeded(round.relayed.nodeId());
        log.info("Hole punched to node {} at {}:{} in {} ms (attempt {})", round.relayed.nodeId().shortForm(),
                at.host(), at.port(), (System.nanoTime() - round.startedNanos) / 1_000_000, round.attempt);
        round.after.accept(true);
    }

    private void failed(PunchRound round, HolePunchFailure reason, String detail) {
        if (!end(round)) {
            return;
        }
        countFailure(round.relayed, reason, detail);
        round.after.accept(false);
    }

    /** Marks the round done (false if it already was) and forgets it. */
    private boolean end(PunchRound round) {
        if (round.done) {
            return false;
        }
        round.done = true;
        round.expecting.close();
        rounds.remove(round.relayed.nodeId(), round);
        return true;
    }

    private void countFailure(Session relayed, HolePunchFailure reason, String detail) {
        metrics.holePunchFailures.get(reason).increment();
        log.debug("Hole punch with {} failed ({}): {}", relayed.nodeId().shortForm(), reason.tag(), detail);
    }

    /** Whether the session is still the link to its peer (not closed, not replaced by a direct one). */
    private boolean stillRelayed(Session relayed) {
        return relayed.isOpen() && host.session(relayed.nodeId()).filter(s -> s == relayed).isPresent();
    }

    private boolean busy() {
        return inProgressNow() >= config.maxConcurrent();
    }

    private int inProgressNow() {
        return coordinating.size() + (int) rounds.values().stream().filter(r -> r.role == Direction.OUTBOUND).count();
    }

    @Override
    public void close() {
        executor.close();
    }
}
