package org.protoblock.p2p.reachability;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.protoblock.p2p.discovery.AddressRules;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.nat.PortMapping;
import org.protoblock.p2p.protocol.Protocol;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.DialBackRequest;
import org.protoblock.p2p.wire.proto.DialBackResponse;
import org.protoblock.p2p.wire.proto.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out whether others can dial us, AutoNAT-style, and which of our addresses they can dial.
 *
 * <p>Candidates: the port mapping's external address, and each listen port at every host our peers'
 * Hellos say they see us at ("you are"); loopback hosts are never candidates. For each candidate we
 * ask peers that see us at the candidate's IP (the only IP a {@link DialBackServer} dials) to dial it
 * back with a fresh nonce, preferring peers we dialed. A peer confirms the candidate when its nonce
 * arrives on an inbound link authenticated as that peer (its word alone is not enough); it refutes
 * it by answering DIAL_ERROR, or OK without the nonce arriving.
 *
 * <p>Verdicts: {@code confirmations} peers of distinct IPs (an IPv6 /64 counts once) confirm → the
 * address is verified; as many refute and none confirms → refuted. The node is PUBLIC with any
 * verified address, PRIVATE when addresses were refuted and none verified, UNKNOWN before. Verdicts
 * stand for {@code recheckInterval}, then the address is checked again (keeping its verdict until
 * the new one); a new or changed mapping is checked at once. While a mapping may still come
 * ({@code mappingGrace} after start) addresses heard from peers wait, so that a node behind a mapping
 * gateway is not judged on the unmapped port first.
 *
 * <p>Only verified addresses are advertised to peers beyond loopback ({@link #advertisedTo}).
 *
 * <p>Threads: all state is owned by this checker's thread ("p2p-reachability"); peer events, nonces
 * and answers are handed to it. {@link #current()} is a volatile snapshot, readable anywhere.
 */
public final class ReachabilityChecker implements Protocol {
    private static final Logger log = LoggerFactory.getLogger(ReachabilityChecker.class);
    static final int MAX_CANDIDATES = 8;
    private static final int MAX_ATTEMPTS = 64;
    private static final Duration TICK = Duration.ofSeconds(1);
    /** How long after a server's OK its nonce may still arrive (the two travel on different links). */
    private static final Duration NONCE_GRACE = Duration.ofSeconds(2);
    /** A peer that was busy or refused is not asked about the same address again for this long. */
    private static final Duration SKIP_FOR = Duration.ofMinutes(5);

    private final PeerHost host;
    private final ReachabilityConfig config;
    private final P2pMetrics metrics;
    private final Clock clock;
    private final OwnedExecutor thread;
    private final SecureRandom random = new SecureRandom();
    private final Map<PeerAddress, Candidate> candidates = new LinkedHashMap<>();
    private final Map<Long, Attempt> attempts = new HashMap<>();
    private Optional<PortMapping> mapping = Optional.empty();
    private boolean mappingSettled = true;
    private volatile Reachability current = Reachability.INITIAL;
    /** Told of every new snapshot whose verified addresses changed; set once at assembly. */
    private volatile Consumer<Reachability> verifiedListener = r -> { };

    private enum Verdict { NONE, VERIFIED, REFUTED }

    /** One address of ours under check. */
    private static final class Candidate {
        final PeerAddress address;
        final Set<String> confirmedBy = new HashSet<>();
        final Set<String> refutedBy = new HashSet<>();
        final Set<String> asking = new HashSet<>();
        final Map<String, Instant> skipped = new HashMap<>();
        Verdict verdict = Verdict.NONE;
        Optional<Instant> decidedAt = Optional.empty();
        boolean fromMapping;
        boolean fromPeers;

        Candidate(PeerAddress address) {
            this.address = address;
        }

        void restart() {
            confirmedBy.clear();
            refutedBy.clear();
            skipped.clear();
            decidedAt = Optional.empty();
        }

        boolean deciding() {
            return decidedAt.isEmpty();
        }
    }

    /** A dial-back we asked a peer for. */
    private static final class Attempt {
        final Candidate candidate;
        final String serverKey;
        final NodeId server;
        Optional<Instant> okAt = Optional.empty();

        Attempt(Candidate candidate, String serverKey, NodeId server) {
            this.candidate = candidate;
            this.serverKey = serverKey;
            this.server = server;
        }
    }

    public ReachabilityChecker(PeerHost host, ReachabilityConfig config, P2pMetrics metrics, Clock clock) {
        this.host = host;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.thread = new OwnedExecutor("p2p-reachability-" + host.nodeId().shortForm(), 4096);
        host.onDialBack((from, nonce) -> thread.execute(() -> nonceArrived(from, nonce)));
        host.advertiseWith(this::advertisedTo);
    }

    /**
     * Starts the periodic checks. With {@code mappingExpected}, addresses heard from peers wait for the
     * mapping (or {@code mappingGrace}); without, they are checked at once.
     */
    public void start(boolean mappingExpected) {
        thread.execute(() -> mappingSettled = !mappingExpected);
        if (mappingExpected) {
            thread.schedule(config.mappingGrace(), () -> {
                mappingSettled = true;
                check();
            });
        }
        thread.scheduleEvery(TICK, TICK, this::tick);
    }

    /** The port mapper's news: a mapping made, changed or lost. Any thread. */
    public void mappingChanged(Optional<PortMapping> now) {
        thread.execute(() -> onMapping(now));
    }

    /** {@code listener} hears, on the checker's thread, of each change of the verified addresses. */
    public void onVerifiedChange(Consumer<Reachability> listener) {
        this.verifiedListener = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** The latest snapshot. Any thread. */
    public Reachability current() {
        return current;
    }

    /**
     * What a peer at {@code remote} hears of our addresses: everything we listen on if it is on
     * loopback (or not on TCP), otherwise only verified addresses. Any thread.
     */
    public List<PeerAddress> advertisedTo(PeerAddress remote, List<PeerAddress> listening) {
        if (!PeerAddress.TCP.equals(remote.scheme()) || AddressRules.isLoopbackHost(remote.host())) {
            return listening;
        }
        return current.verified();
    }

    @Override
    public Set<Envelope.BodyCase> messageTypes() {
        return Set.of();
    }

    @Override
    public void connected(Session session, Hello remoteHello) {
        thread.execute(() -> {
            remoteHello.observedAddress().ifPresent(this::heardOf);
            check();
        });
    }

    @Override
    public void message(Session session, Envelope envelope) {
        // Answers reach us through the request futures; nothing is routed here.
    }

    // ---- on the checker's thread ----

    private void heardOf(PeerAddress seenAt) {
        if (!PeerAddress.TCP.equals(seenAt.scheme()) || !AddressRules.acceptable(seenAt, PeerAddress.TCP)
                || (!config.checkLoopback() && AddressRules.isLoopbackHost(seenAt.host()))) {
            return;
        }
        for (PeerAddress listen : host.listenAddresses()) {
            if (PeerAddress.TCP.equals(listen.scheme()) && (config.checkLoopback() || !AddressRules.isLoopbackHost(listen.host()))) {
                candidate(new PeerAddress(PeerAddress.TCP, seenAt.host(), listen.port())).ifPresent(c -> c.fromPeers = true);
            }
        }
    }

    private void onMapping(Optional<PortMapping> now) {
        mappingSettled = true;
        if (now.equals(mapping)) {
            return;
        }
        mapping.map(ReachabilityChecker::externalOf).map(candidates::get).ifPresent(old -> {
            old.fromMapping = false;
            if (!old.fromPeers) {
                candidates.remove(old.address);
            }
        });
        mapping = now;
        now.map(ReachabilityChecker::externalOf).flatMap(this::candidate).ifPresent(c -> {
            c.fromMapping = true;
            c.restart(); // the gateway changed what reaches us: judge again
        });
        publish();
        check();
    }

    private static PeerAddress externalOf(PortMapping m) {
        return PeerAddress.tcp(m.external().getAddress().getHostAddress(), m.external().getPort());
    }

    /** The candidate for {@code address}, made if new and there is room (the oldest heard-of one undecided goes). */
    private Optional<Candidate> candidate(PeerAddress address) {
        Candidate c = candidates.get(address);
        if (c != null) {
            return Optional.of(c);
        }
        if (candidates.size() >= MAX_CANDIDATES) {
            Optional<PeerAddress> victim = candidates.values().stream()
                    .filter(x -> !x.fromMapping && x.verdict != Verdict.VERIFIED).map(x -> x.address).findFirst();
            if (victim.isEmpty()) {
                return Optional.empty();
            }
            candidates.remove(victim.get());
        }
        c = new Candidate(address);
        candidates.put(address, c);
        return Optional.of(c);
    }

    private void tick() {
        Instant now = clock.instant();
        for (Iterator<Map.Entry<Long, Attempt>> it = attempts.entrySet().iterator(); it.hasNext(); ) {
            Attempt a = it.next().getValue();
            if (a.okAt.isPresent() && a.okAt.get().plus(NONCE_GRACE).isBefore(now)) {
                it.remove(); // said OK, but the nonce never came
                a.candidate.asking.remove(a.serverKey);
                refute(a.candidate, a.serverKey, "answered OK but its dial-back never arrived");
            }
        }
        for (Candidate c : candidates.values()) {
            if (c.decidedAt.isPresent() && c.decidedAt.get().plus(config.recheckInterval()).isBefore(now)) {
                c.restart();
            }
            c.skipped.values().removeIf(until -> until.isBefore(now));
        }
        check();
    }

    /** Asks peers about every candidate still being decided. */
    private void check() {
        for (Candidate c : candidates.values()) {
            if (!c.deciding() || (!mappingSettled && !c.fromMapping)) {
                continue;
            }
            for (Session server : serversFor(c)) {
                if (c.asking.size() >= config.confirmations() || attempts.size() >= MAX_ATTEMPTS) {
                    break;
                }
                ask(c, server);
            }
        }
    }

    /** Open peers that see us at the candidate's IP and were not asked about it yet, those we dialed first. */
    private List<Session> serversFor(Candidate c) {
        Map<String, Session> byKey = new LinkedHashMap<>();
        host.sessions().stream()
                .filter(s -> s.isOpen() && PeerAddress.TCP.equals(s.remoteAddress().scheme()))
                .filter(s -> s.remoteHello().observedAddress()
                        .filter(o -> DialBackTargets.sameIp(o.host(), c.address.host())).isPresent())
                .sorted(Comparator.comparing(s -> s.direction() == Direction.OUTBOUND ? 0 : 1))
                .forEach(s -> byKey.putIfAbsent(serverKey(s), s));
        List<Session> out = new ArrayList<>();
        byKey.forEach((key, s) -> {
            if (!c.confirmedBy.contains(key) && !c.refutedBy.contains(key) && !c.asking.contains(key)
                    && !c.skipped.containsKey(key)) {
                out.add(s);
            }
        });
        return out;
    }

    private void ask(Candidate c, Session server) {
        long nonce = random.nextLong();
        String key = serverKey(server);
        Attempt attempt = new Attempt(c, key, server.nodeId());
        attempts.put(nonce, attempt);
        c.asking.add(key);
        metrics.dialBacksRequested.increment();
        log.debug("Asking {} to dial us back at {}", server.nodeId().shortForm(), c.address);
        Envelope request = Envelope.newBuilder().setDialBackRequest(DialBackRequest.newBuilder()
                .setAddress(c.address.toString()).setNonce(nonce)).build();
        server.request(request, config.dialBackTimeout().plus(config.dialBackTimeout()))
                .whenComplete((response, error) -> thread.execute(() -> answered(nonce, response, error)));
    }

    private void answered(long nonce, Envelope response, Throwable error) {
        Attempt a = attempts.get(nonce);
        if (a == null) {
            return; // settled by its nonce already
        }
        Optional<DialBackResponse.Status> status = error == null && response.getBodyCase() == Envelope.BodyCase.DIAL_BACK_RESPONSE
                ? Optional.of(response.getDialBackResponse().getStatus()) : Optional.empty();
        if (status.isPresent() && status.get() == DialBackResponse.Status.OK) {
            a.okAt = Optional.of(clock.instant()); // confirmed when its nonce arrives
            return;
        }
        attempts.remove(nonce);
        a.candidate.asking.remove(a.serverKey);
        if (status.isPresent() && status.get() == DialBackResponse.Status.DIAL_ERROR) {
            refute(a.candidate, a.serverKey, response.getDialBackResponse().getDetail());
        } else {
            // Busy, refused, gone or too slow: no word on the address; ask someone else.
            a.candidate.skipped.put(a.serverKey, clock.instant().plus(SKIP_FOR));
            check();
        }
    }

    private void nonceArrived(NodeId from, long nonce) {
        Attempt a = attempts.get(nonce);
        if (a == null || !a.server.equals(from)) {
            log.debug("Dial-back from {} with a nonce we did not give it", from.shortForm());
            return;
        }
        attempts.remove(nonce);
        a.candidate.asking.remove(a.serverKey);
        metrics.dialBacksConfirmed.increment();
        Candidate c = a.candidate;
        c.confirmedBy.add(a.serverKey);
        if (c.deciding() && c.confirmedBy.size() >= config.confirmations()) {
            decide(c, Verdict.VERIFIED);
        }
        check();
    }

    private void refute(Candidate c, String serverKey, String why) {
        log.debug("Dial-back to {} failed from {}: {}", c.address, serverKey, why);
        c.refutedBy.add(serverKey);
        if (c.deciding() && c.confirmedBy.isEmpty() && c.refutedBy.size() >= config.confirmations()) {
            decide(c, Verdict.REFUTED);
        }
        check();
    }

    private void decide(Candidate c, Verdict verdict) {
        c.verdict = verdict;
        c.decidedAt = Optional.of(clock.instant());
        publish();
    }

    private void publish() {
        List<PeerAddress> verified = candidates.values().stream().filter(c -> c.verdict == Verdict.VERIFIED)
                .sorted(Comparator.comparing(c -> c.fromMapping ? 0 : 1)).map(c -> c.address).toList();
        boolean refuted = candidates.values().stream().anyMatch(c -> c.verdict == Verdict.REFUTED);
        Reachability.State state = !verified.isEmpty() ? Reachability.State.PUBLIC
                : refuted ? Reachability.State.PRIVATE : Reachability.State.UNKNOWN;
        Reachability before = current;
        current = new Reachability(state, verified, mapping);
        if (state != before.state()) {
            if (state == Reachability.State.PUBLIC) {
                log.info("Reachability: public at {} (was {})", verified.stream().map(PeerAddress::toString)
                        .collect(Collectors.joining(", ")), before.state().wireName());
            } else {
                log.info("Reachability: {} (was {}); peers could not dial {}", state.wireName(), before.state().wireName(),
                        candidates.values().stream().filter(c -> c.verdict == Verdict.REFUTED).map(c -> c.address.toString())
                                .collect(Collectors.joining(", ")));
            }
        } else if (!verified.equals(before.verified())) {
            log.debug("Verified addresses now {}", verified);
        }
        if (!verified.equals(before.verified())) {
            verifiedListener.accept(current);
        }
    }

    /** Distinct servers: an IPv4 address, or an IPv6 /64 (one subscriber holds a whole /64). */
    private static String serverKey(Session s) {
        String host = s.remoteAddress().host();
        return AddressRules.ipv6Prefix64(host).orElse(host);
    }

    @Override
    public void close() {
        thread.close(Duration.ofSeconds(1));
    }
}
