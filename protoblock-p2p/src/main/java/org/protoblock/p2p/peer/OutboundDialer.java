package org.protoblock.p2p.peer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.protoblock.p2p.discovery.AddressGroup;
import org.protoblock.p2p.discovery.AddressSource;
import org.protoblock.p2p.discovery.Contact;
import org.protoblock.p2p.discovery.KnownPeer;
import org.protoblock.p2p.discovery.RecordLookup;
import org.protoblock.p2p.discovery.SignedRecord;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkClosedException;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whom we dial.
 *
 * <p>Rules:
 * <ul>
 *   <li><b>Outbound targets</b>: {@code fullRelayTarget} + {@code blockOnlyTarget} links we dialed
 *       (feelers and operator-added peers do not count). Candidates come from discovery
 *       ({@link AddressSource#candidates}), at most {@code maxOutboundPerGroup} per address group,
 *       never banned, connected, already being dialed, or inside their retry backoff (doubling per
 *       failed attempt). Discovery filters with a snapshot of this state; we check again before
 *       dialing, since links change meanwhile.</li>
 *   <li><b>Bootstrap order</b>: anchors (saved outbound peers) on the first tick; then the book;
 *       seeds (configured and built-in) only when the book yields too few candidates and is small (or
 *       we have no outbound link at all), each with backoff and, after a successful fetch, left alone
 *       for {@code reconnectBackoffMax}; and only to fetch addresses (connect, GetPeers, disconnect),
 *       so a seed never holds the links of the whole network. When the book runs dry we also ask a
 *       connected peer for more addresses, at most every {@code peerRequestInterval}. Every outbound
 *       link but a feeler asks its peer for addresses once, after sending it our own record.</li>
 *   <li><b>Feelers</b>: every {@code feelerInterval}, once the targets are met, one short link tests
 *       the occupant of a tried collision (test-before-evict) or a new-table address; success
 *       verifies it, failure drops it; the link is closed after the handshake, or after
 *       {@link #FEELER_COMPARE_WINDOW} when the peer's head is not ours (so sync compares the chains:
 *       how the halves of a healed partition find each other).</li>
 *   <li><b>Anchors</b>: up to {@code anchorCount} outbound peers that count towards the targets
 *       (block-only first, then the longest-lived) are handed to discovery, which saves them with
 *       the book.</li>
 *   <li><b>Operator peers</b> ({@link #addManual} by address or by node id, and links dialed outside
 *       the dialer such as {@code addnode onetry}): dialed until removed, reconnected with backoff,
 *       never evicted (a node id through {@code dialById}: its signed record's addresses, directly,
 *       through a relay or by hole punching);
 *       never anchors and never marked good in the book. Rationale: a page that drives the RPC
 *       from the operator's browser can choose them, and must not make them outlive the link.</li>
 * </ul>
 *
 * <p>Threads: the peer manager's thread owns the pending dials, retry state and (shared with
 * admission) the {@link PeerTable}; dial outcomes and discovery's answers hop back onto it. Bounds:
 * pending dials ≤ {@code maxPendingDials} (+ operator peers and seeds); operator peers ≤
 * {@link #MAX_MANUAL}; one candidate request in flight.
 */
final class OutboundDialer {
    public static final int MAX_MANUAL = 64;
    /** How long a feeler whose peer announced another head stays open (sync compares and pulls meanwhile). */
    static final Duration FEELER_COMPARE_WINDOW = Duration.ofSeconds(60);
    private static final Logger log = LoggerFactory.getLogger(OutboundDialer.class);

    private final PeerHost host;
    private final DialerConfig config;
    private final AddressSource discovery;
    private final BanManager bans;
    private final PeerTable table;
    private final P2pMetrics metrics;
    private final Clock clock;
    private final OwnedExecutor executor;
    private final List<PeerAddress> seeds;
    private final Duration dialTimeout;
    private final Random random = new Random();

    private final Map<String, Dial> pending = new HashMap<>();
    private final Map<PeerAddress, Retry> manual = new LinkedHashMap<>();
    private final Map<NodeId, Retry> manualIds = new LinkedHashMap<>();
    private final Function<NodeId, CompletableFuture<Session>> dialById;
    private final Duration idDialTimeout;
    private final Map<PeerAddress, Retry> seedRetry = new HashMap<>();
    private boolean anchorsDialed;
    private boolean candidatesAsked;
    private Instant nextFeeler;
    private Instant nextPeerRequest = Instant.EPOCH;

    private record Dial(PeerAddress address, Optional<NodeId> expected, PeerKind kind, AddressGroup group) {
    }

    private static final class Retry {
        int failures;
        Instant next = Instant.EPOCH;
        boolean dialing;
    }

    /** What discovery may filter with on its own thread: a copy of our state at one tick. */
    private record Snapshot(NodeId self, String scheme, Set<NodeId> busy, Map<AddressGroup, Integer> groups) {
    }

    /** {@code dialById}: a session with a node found by its id (the {@link IdDialer}). */
    OutboundDialer(PeerHost host, DialerConfig config, List<PeerAddress> seeds, AddressSource discovery, BanManager bans,
                   PeerTable table, P2pMetrics metrics, Clock clock, OwnedExecutor executor,
                   Function<NodeId, CompletableFuture<Session>> dialById) {
        this.host = host;
        this.config = config;
        this.seeds = List.copyOf(seeds);
        this.discovery = discovery;
        this.bans = bans;
        this.table = table;
        this.metrics = metrics;
        this.clock = clock;
        this.executor = executor;
        this.dialTimeout = host.config().connectTimeout().plus(host.config().handshakeTimeout()).plusSeconds(1);
        this.dialById = dialById;
        // a lookup, then each address of the record in turn (IdDialer's own bound)
        this.idDialTimeout = RecordLookup.TIMEOUT.plus(dialTimeout.multipliedBy(SignedRecord.MAX_ADDRESSES));
        this.nextFeeler = clock.instant().plus(config.feelerInterval());
    }

    // ---- on the peer manager's thread ----

    void tick() {
        Instant now = clock.instant();
        updateAnchors();
        // Operator peers even without automatic connections (as Bitcoin Core's addnode with -connect).
        for (PeerAddress address : List.copyOf(manual.keySet())) {
            dialManual(address, now);
        }
        for (NodeId id : List.copyOf(manualIds.keySet())) {
            dialManual(id, now);
        }
        if (!config.autoConnect()) {
            return;
        }
        if (!anchorsDialed) {
            anchorsDialed = true;
            for (KnownPeer a : discovery.savedAnchors()) {
                if (eligible(a, true, now)) {
                    dial(a.address(), Optional.of(a.nodeId()), PeerKind.BLOCK_ONLY);
                }
            }
        }
        int wanted = Math.min(missing(PeerKind.FULL_RELAY) + missing(PeerKind.BLOCK_ONLY),
                config.maxPendingDials() - pending.size());
        if (wanted > 0 && !candidatesAsked) {
            candidatesAsked = true;
            Snapshot snapshot = snapshot();
            discovery.candidates(wanted, p -> eligible(snapshot, p, false, now))
                    .whenComplete((c, e) -> onThread(() -> {
                        candidatesAsked = false;
                        if (c != null) {
                            dialCandidates(c, wanted);
                        }
                    }));
        }
        boolean targetsMet = missing(PeerKind.FULL_RELAY) == 0 && missing(PeerKind.BLOCK_ONLY) == 0;
        if (targetsMet && !now.isBefore(nextFeeler) && pending.size() < config.maxPendingDials()) {
            nextFeeler = now.plus(config.feelerInterval());
            Snapshot snapshot = snapshot();
            discovery.feelerCandidate(p -> eligible(snapshot, p, true, now))
                    .whenComplete((p, e) -> onThread(() -> {
                        if (p != null && p.isPresent() && eligible(p.get(), true, clock.instant())) {
                            dial(p.get().address(), Optional.of(p.get().nodeId()), PeerKind.FEELER);
                        }
                    }));
        }
    }

    /**
     * An outbound session is up: give it the kind of the dial that made it. A link someone else
     * dialed (the {@code addnode} RPC, tests) is an operator peer: it is not vouched for in the
     * book's tried table nor made an anchor, since a web page driving the RPC could choose it.
     */
    void connected(Session session) {
        NodeId id = session.nodeId();
        Dial dial = Optional.ofNullable(pending.get(idKey(id))).orElseGet(() -> pending.get(addressKey(session.remoteAddress())));
        PeerAddress address = dial != null ? dial.address() : session.remoteAddress();
        if (dial == null) {
            discovery.advertiseSelfTo(session);
            discovery.requestPeers(session);
        }
        table.put(new PeerTable.Peer(session, address, dial != null ? dial.kind() : PeerKind.MANUAL));
        updateAnchors();
    }

    /** An outbound link closed: the node was up until now. */
    void closed(PeerTable.Peer p) {
        if (p.kind.outbound() && p.kind != PeerKind.FEELER) {
            discovery.linkClosed(p.session.nodeId());
        }
    }

    /** {@code addnode add}: false when the list is full. */
    boolean addManual(PeerAddress address) {
        if (!manual.containsKey(address) && manualCount() >= MAX_MANUAL) {
            return false;
        }
        manual.putIfAbsent(address, new Retry());
        dialManual(address, clock.instant());
        return true;
    }

    /** {@code addnode <node id> add}: false when the list is full. */
    boolean addManual(NodeId id) {
        if (!manualIds.containsKey(id) && manualCount() >= MAX_MANUAL) {
            return false;
        }
        manualIds.putIfAbsent(id, new Retry());
        dialManual(id, clock.instant());
        return true;
    }

    boolean removeManual(PeerAddress address) {
        return manual.remove(address) != null;
    }

    boolean removeManual(NodeId id) {
        return manualIds.remove(id) != null;
    }

    /** The operator's peers, by address then by node id, each with whether a link to it is open. */
    List<AddedNode> manualPeers() {
        List<AddedNode> out = new ArrayList<>();
        manual.keySet().forEach(a -> out.add(new AddedNode(a.toString(), table.connectedTo(a))));
        manualIds.keySet().forEach(id -> out.add(new AddedNode(id.hex(), host.session(id).isPresent())));
        return out;
    }

    private int manualCount() {
        return manual.size() + manualIds.size();
    }

    // ---- internals ----

    private int missing(PeerKind kind) {
        int target = kind == PeerKind.FULL_RELAY ? config.fullRelayTarget() : config.blockOnlyTarget();
        return Math.max(0, target - countOutbound(kind));
    }

    private void dialCandidates(AddressSource.Candidates candidates, int asked) {
        Instant now = clock.instant();
        for (KnownPeer p : candidates.peers()) {
            boolean full = missing(PeerKind.FULL_RELAY) > 0;
            if ((!full && missing(PeerKind.BLOCK_ONLY) == 0) || pending.size() >= config.maxPendingDials()) {
                break;
            }
            if (eligible(p, false, now)) {
                dial(p.address(), Optional.of(p.nodeId()), full ? PeerKind.FULL_RELAY : PeerKind.BLOCK_ONLY);
            }
        }
        if (candidates.peers().size() < asked) { // the book ran dry
            int outbound = countOutbound(PeerKind.FULL_RELAY) + countOutbound(PeerKind.BLOCK_ONLY);
            if (candidates.bookSize() < 2 * config.outboundTarget() || outbound == 0) {
                dialSeeds(now); // seeds are for bootstrapping, not for every lull
            }
            askForPeers(now);
        }
    }

    private Snapshot snapshot() {
        Set<NodeId> busy = new HashSet<>();
        Map<AddressGroup, Integer> groups = new HashMap<>();
        for (PeerTable.Peer p : table.all()) {
            busy.add(p.session.nodeId());
            if (countsToTarget(p.kind)) {
                groups.merge(p.group, 1, Integer::sum);
            }
        }
        for (Dial d : pending.values()) {
            d.expected().ifPresent(busy::add);
            if (countsToTarget(d.kind())) {
                groups.merge(d.group(), 1, Integer::sum);
            }
        }
        return new Snapshot(host.nodeId(), host.transport().scheme(), Set.copyOf(busy), Map.copyOf(groups));
    }

    /** May we dial this book entry now? {@code anchorOrFeeler} skips the group limit and backoff. */
    private boolean eligible(KnownPeer p, boolean anchorOrFeeler, Instant now) {
        return eligible(snapshot(), p, anchorOrFeeler, now);
    }

    private boolean eligible(Snapshot s, KnownPeer p, boolean anchorOrFeeler, Instant now) {
        NodeId id = p.nodeId();
        if (id.equals(s.self()) || s.busy().contains(id) || !p.address().scheme().equals(s.scheme())
                || bans.isBanned(id) || bans.isHostBanned(p.address().host())) {
            return false;
        }
        if (anchorOrFeeler) {
            return true;
        }
        if (p.lastTry().isPresent() && p.attempts() > 0 && now.isBefore(p.lastTry().get().plus(backoff(p.attempts())))) {
            return false;
        }
        return s.groups().getOrDefault(p.group(), 0) < config.maxOutboundPerGroup();
    }

    private int countOutbound(PeerKind kind) {
        return table.count(kind) + (int) pending.values().stream().filter(d -> d.kind() == kind).count();
    }

    private static boolean countsToTarget(PeerKind kind) {
        return kind == PeerKind.FULL_RELAY || kind == PeerKind.BLOCK_ONLY;
    }

    private Duration backoff(int failures) {
        Duration d = config.reconnectBackoffMin().multipliedBy(1L << Math.min(failures, 20));
        return d.compareTo(config.reconnectBackoffMax()) > 0 ? config.reconnectBackoffMax() : d;
    }

    private void dialSeeds(Instant now) {
        for (PeerAddress seed : seeds) {
            Retry retry = seedRetry.computeIfAbsent(seed, s -> new Retry());
            if (!now.isBefore(retry.next) && !table.connectedTo(seed) && !pending.containsKey(addressKey(seed))
                    && !bans.isHostBanned(seed.host())) {
                retry.next = now.plus(backoff(retry.failures));
                dial(seed, Optional.empty(), PeerKind.ADDR_FETCH);
            }
        }
    }

    private void dialManual(PeerAddress address, Instant now) {
        Retry retry = manual.get(address);
        if (retry == null || now.isBefore(retry.next) || table.connectedTo(address) || pending.containsKey(addressKey(address))) {
            return;
        }
        retry.next = now.plus(backoff(retry.failures));
        dial(address, Optional.empty(), PeerKind.MANUAL);
    }

    private void dialManual(NodeId id, Instant now) {
        Retry retry = manualIds.get(id);
        if (retry == null || retry.dialing || now.isBefore(retry.next) || host.session(id).isPresent()) {
            return;
        }
        retry.dialing = true;
        retry.next = now.plus(backoff(retry.failures));
        CompletableFuture<Session> result;
        try {
            result = dialById.apply(id);
        } catch (RuntimeException e) { // host closed
            retry.dialing = false;
            return;
        }
        metrics.outboundDials.increment();
        result.orTimeout(idDialTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((session, error) -> onThread(() -> {
            retry.dialing = false;
            if (error == null) {
                retry.failures = 0;
                return;
            }
            metrics.outboundDialFailures.increment();
            retry.failures++;
            retry.next = clock.instant().plus(backoff(retry.failures));
            log.info("Operator peer {} not reached (attempt {}, next in {} s): {}", id.shortForm(), retry.failures,
                    backoff(retry.failures).toSeconds(), IdDialer.why(error));
        }));
    }

    private void askForPeers(Instant now) {
        if (now.isBefore(nextPeerRequest) || table.isEmpty()) {
            return;
        }
        nextPeerRequest = now.plus(config.peerRequestInterval());
        List<PeerTable.Peer> all = new ArrayList<>(table.all());
        discovery.requestPeers(all.get(random.nextInt(all.size())).session);
    }

    private void dial(PeerAddress address, Optional<NodeId> expected, PeerKind kind) {
        String key = expected.map(OutboundDialer::idKey).orElseGet(() -> addressKey(address));
        if (pending.containsKey(key) || executor.isClosed()) {
            return;
        }
        Dial dial = new Dial(address, expected, kind, AddressGroup.of(address));
        CompletableFuture<Session> result;
        try {
            result = host.dial(address, expected);
        } catch (RuntimeException e) {
            log.debug("Cannot dial {}: {}", address, e.getMessage());
            return;
        }
        pending.put(key, dial);
        metrics.outboundDials.increment();
        result.orTimeout(dialTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((session, error) -> onThread(() -> dialDone(key, dial, session, error)));
    }

    private void dialDone(String key, Dial dial, Session session, Throwable error) {
        pending.remove(key);
        Instant now = clock.instant();
        Retry retry = dial.kind() == PeerKind.MANUAL ? manual.get(dial.address())
                : dial.expected().isEmpty() ? seedRetry.get(dial.address()) : null;
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof LinkClosedException closedLink && closedLink.reason() == DisconnectReason.DUPLICATE_CONNECTION) {
                return; // we are linked already, the other way round
            }
            metrics.outboundDialFailures.increment();
            dial.expected().ifPresent(id -> discovery.dialFailed(id, dial.kind() == PeerKind.FEELER));
            if (retry != null) {
                retry.failures++;
                retry.next = now.plus(backoff(retry.failures));
            }
            log.debug("{} dial to {} failed: {}", dial.kind(), dial.address(), cause.toString());
            return;
        }
        if (retry != null) {
            retry.failures = 0;
            if (dial.kind() == PeerKind.ADDR_FETCH) {
                retry.next = now.plus(config.reconnectBackoffMax()); // fetched: leave the seed alone a while
            }
        }
        if (dial.kind() != PeerKind.MANUAL) { // the operator's choice is not evidence for the tried table
            discovery.dialSucceeded(session.nodeId(), dial.address());
        }
        table.get(session.nodeId()).filter(p -> p.session == session).ifPresent(p -> p.kind = dial.kind());
        if (dial.kind() != PeerKind.FEELER) {
            discovery.advertiseSelfTo(session); // before GetPeers: the peer relays us while it answers
        }
        switch (dial.kind()) {
            case FEELER -> {
                metrics.feelers.increment();
                if (session.remoteHello().head().id().equals(host.localHead().id())) {
                    session.disconnect(DisconnectReason.REQUESTED, "feeler: address tested");
                } else {
                    // Another head: stay long enough for sync to compare chains (either side may
                    // pull). Once the outbound slots are full, feelers are the only links to outside
                    // the peers we have: without this, the halves of a healed partition never meet.
                    executor.schedule(FEELER_COMPARE_WINDOW,
                            () -> session.disconnect(DisconnectReason.REQUESTED, "feeler: address tested, chains compared"));
                }
            }
            case ADDR_FETCH -> discovery.requestPeers(session).orTimeout(dialTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((done, e) -> session.disconnect(DisconnectReason.REQUESTED, "addresses fetched"));
            default -> discovery.requestPeers(session);
        }
        updateAnchors();
    }

    /** Anchors: block-only outbound peers first, then the longest-lived full-relay ones. */
    private void updateAnchors() {
        List<PeerTable.Peer> outbound = new ArrayList<>();
        for (PeerTable.Peer p : table.all()) {
            if (countsToTarget(p.kind)) {
                outbound.add(p);
            }
        }
        if (outbound.isEmpty()) {
            return;
        }
        outbound.sort(Comparator.comparing((PeerTable.Peer p) -> p.kind != PeerKind.BLOCK_ONLY)
                .thenComparing(p -> p.session.connectedAt()));
        discovery.anchors(outbound.stream().limit(config.anchorCount())
                .map(p -> new Contact(p.session.nodeId(), p.address)).toList());
    }

    private static String idKey(NodeId id) {
        return "id:" + id.hex();
    }

    private static String addressKey(PeerAddress address) {
        return "addr:" + address;
    }

    private void onThread(Runnable task) {
        if (!executor.executeAlways(task)) {
            log.debug("Dialer task dropped: closed");
        }
    }
}
