package org.protoblock.p2p.peer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.protoblock.chain.store.ChainStore;
import org.protoblock.p2p.discovery.AddressBook;
import org.protoblock.p2p.discovery.AddressBookStore;
import org.protoblock.p2p.discovery.AddressGroup;
import org.protoblock.p2p.discovery.AddressRules;
import org.protoblock.p2p.discovery.KnownPeer;
import org.protoblock.p2p.discovery.LanBeacons;
import org.protoblock.p2p.discovery.LanDiscovery;
import org.protoblock.p2p.discovery.SeedList;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkClosedException;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.protocol.Protocol;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection manager: decides whom we dial and whom we drop. It owns the {@link AddressBook}
 * and the peer table; {@link PeerHost} owns the links.
 *
 * <p>Rules:
 * <ul>
 *   <li><b>Outbound targets</b>: {@code fullRelayTarget} + {@code blockOnlyTarget} links we dialed
 *       (feelers and operator-added peers do not count). Candidates come from the address book,
 *       at most {@code maxOutboundPerGroup} per address group, never banned, connected, already being
 *       dialed, or inside their retry backoff (doubling per failed attempt).</li>
 *   <li><b>Bootstrap order</b>: anchors (saved outbound peers) on the first tick; then the book;
 *       seeds (configured and built-in) only when the book yields no candidate and is small (or we
 *       have no outbound link at all), each with backoff and, after a successful fetch, left alone
 *       for {@code reconnectBackoffMax}; and only to fetch addresses (connect, GetPeers, disconnect), so a seed never holds the
 *       links of the whole network; LAN beacons feed the book. When the book runs dry we also ask a
 *       connected peer for more addresses, at most every {@code peerRequestInterval}. Every outbound
 *       link but a feeler asks its peer for addresses once.</li>
 *   <li><b>Feelers</b>: every {@code feelerInterval}, once the targets are met, one short link tests
 *       the occupant of a tried collision (test-before-evict) or a new-table address; success moves
 *       it to tried, failure drops it; the link is closed after the handshake.</li>
 *   <li><b>Inbound cap</b>: past {@code maxInbound} inbound links, {@link EvictionSelector} picks one
 *       to drop (possibly the newcomer).</li>
 *   <li><b>Bans</b>: misbehaviour ({@link PeerScores} → {@link BanHook}) bans the node id, and the
 *       host when it is public (a LAN or loopback host is shared by bystanders), for
 *       {@code banDuration}; bans persist; banned peers are not dialed and are disconnected on
 *       connect (the host has no pre-handshake admission hook yet).</li>
 *   <li><b>Anchors</b>: up to {@code anchorCount} outbound peers (block-only first, then the
 *       longest-lived) are saved with the book and dialed first after a restart.</li>
 *   <li><b>Operator peers</b> ({@link #addNode}): dialed until removed, reconnected with backoff,
 *       never evicted.</li>
 * </ul>
 *
 * <p>Threads: one scheduled thread ("p2p-peers-…") owns the book, the peer table, pending dials and
 * retry state; peer events and API calls hop onto it. API methods wait for it at most
 * {@link #CALL_TIMEOUT}. Bounds: the peer table follows the host's sessions; pending dials
 * ≤ {@code maxPendingDials} (+ operator peers); operator peers ≤ {@link #MAX_MANUAL}.
 */
public final class PeerManager implements Protocol, BanHook {
    public static final int MAX_MANUAL = 64;
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(PeerManager.class);

    private final PeerHost host;
    private final PeerConfig config;
    private final P2pMetrics metrics;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private volatile Thread thread;
    private final AddressBook book;
    private final AddressBookStore bookStore;
    private final BanList bans;
    private final BanStore banStore;
    private final List<PeerAddress> seeds;
    private final Optional<LanDiscovery> lan;
    private final long evictionKey;
    private final Random random = new Random();
    private final Duration dialTimeout;

    // ---- owned by the executor thread
    private final Map<NodeId, Peer> peers = new HashMap<>();
    private final Map<String, Dial> pending = new HashMap<>();
    private final Map<PeerAddress, Retry> manual = new LinkedHashMap<>();
    private final Map<PeerAddress, Retry> seedRetry = new HashMap<>();
    private List<KnownPeer> savedAnchors;
    private List<KnownPeer> currentAnchors = List.of();
    private boolean anchorsDialed;
    private long flushedVersion = -1;
    private Instant nextFeeler;
    private Instant nextPeerRequest = Instant.EPOCH;
    private Function<Session, CompletableFuture<Void>> peerRequester = s -> CompletableFuture.completedFuture(null);
    private Runnable advertiser = () -> { };
    private java.util.function.Consumer<Session> selfAdvertiser = s -> { };

    // ---- shared
    private final Map<NodeId, Instant> usefulAt = new ConcurrentHashMap<>();
    private volatile boolean hadInbound;
    private volatile boolean started;
    private volatile boolean closed;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

    private static final class Peer {
        final Session session;
        final PeerAddress address;
        final AddressGroup group;
        PeerKind kind;

        Peer(Session session, PeerAddress address, PeerKind kind) {
            this.session = session;
            this.address = address;
            this.group = AddressGroup.of(address);
            this.kind = kind;
        }
    }

    private record Dial(PeerAddress address, Optional<NodeId> expected, PeerKind kind, AddressGroup group) {
    }

    private static final class Retry {
        int failures;
        Instant next = Instant.EPOCH;
    }

    /** Loads the address book, anchors and bans from {@code store}; {@link #start()} begins dialing. */
    public PeerManager(PeerHost host, ChainStore store, PeerConfig config, P2pMetrics metrics, Clock clock,
                       String networkId, String genesisHex) {
        this.host = host;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "p2p-peers-" + host.nodeId().shortForm());
            t.setDaemon(true);
            thread = t;
            return t;
        });
        this.bookStore = new AddressBookStore(store);
        this.book = new AddressBook(bookStore.loadOrCreateSecret(), config.addressBook(), random);
        Instant now = clock.instant();
        int restored = 0;
        for (KnownPeer p : bookStore.loadEntries()) {
            restored += book.restore(p, now) ? 1 : 0;
        }
        this.savedAnchors = bookStore.loadAnchors();
        this.bans = new BanList(clock);
        this.banStore = new BanStore(store);
        List<BanTarget> expired = new ArrayList<>();
        banStore.load().forEach(b -> {
            if (!bans.restore(b)) {
                expired.add(b.target());
            }
        });
        banStore.delete(expired);
        List<PeerAddress> allSeeds = new ArrayList<>(config.seeds());
        if (config.useBuiltInSeeds()) {
            SeedList.builtIn(networkId).stream().filter(s -> !allSeeds.contains(s)).forEach(allSeeds::add);
        }
        this.seeds = List.copyOf(allSeeds);
        this.evictionKey = random.nextLong();
        this.dialTimeout = host.config().connectTimeout().plus(host.config().handshakeTimeout()).plusSeconds(1);
        this.nextFeeler = now.plus(config.feelerInterval());
        this.lan = config.lanEnabled()
                ? Optional.of(new LanDiscovery(new LanBeacons(networkId, genesisHex, host.nodeId()), config.lanGroup(),
                        config.lanPort(), config.lanInterval(), config.lanInterfaces(), host.transport().scheme(),
                        host::listenAddresses, this::lanPeerFound, metrics))
                : Optional.empty();
        log.info("Node {}: address book {} entries ({} restored), {} anchors, {} bans, {} seeds",
                host.nodeId().shortForm(), book.size(), restored, savedAnchors.size(), bans.size(), seeds.size());
    }

    /** The thread that owns the address book; peer exchange runs its book work here. */
    public ScheduledExecutorService executor() {
        return executor;
    }

    /** Confined to {@link #executor()}: touch it only from there. */
    public AddressBook addressBook() {
        return book;
    }

    public BanList banList() {
        return bans;
    }

    /**
     * How to ask a peer for addresses (peer exchange), advertise ourselves to all peers, and to one
     * outbound peer after the handshake; set before {@link #start()}.
     */
    public void attachExchange(Function<Session, CompletableFuture<Void>> requestPeers, Runnable advertiseSelf,
                               java.util.function.Consumer<Session> advertiseSelfTo) {
        this.peerRequester = requestPeers;
        this.advertiser = advertiseSelf;
        this.selfAdvertiser = advertiseSelfTo;
    }

    /** Starts the schedule: anchors, targets, feelers, flushes, advertisements and LAN beacons. Call after listening. */
    public synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        tasks.add(executor.scheduleWithFixedDelay(guarded("tick", this::tick), 0, config.tickInterval().toMillis(), TimeUnit.MILLISECONDS));
        tasks.add(executor.scheduleWithFixedDelay(guarded("flush", this::flush), config.flushInterval().toMillis(),
                config.flushInterval().toMillis(), TimeUnit.MILLISECONDS));
        tasks.add(executor.scheduleWithFixedDelay(guarded("advertise", () -> advertiser.run()),
                config.advertiseInterval().toMillis(), config.advertiseInterval().toMillis(), TimeUnit.MILLISECONDS));
        lan.ifPresent(l -> l.start(executor));
    }

    public boolean lanRunning() {
        return lan.map(LanDiscovery::isRunning).orElse(false);
    }

    /** True once any peer dialed us: others can reach us, so we advertise ourselves. */
    public boolean hadInbound() {
        return hadInbound;
    }

    // ---- peer events (event loops) ----

    @Override
    public Set<Envelope.BodyCase> messageTypes() {
        // Observed only, to protect useful inbound peers from eviction; gossip owns and answers them.
        return Set.of(Envelope.BodyCase.NEW_BLOCK, Envelope.BodyCase.INVENTORY);
    }

    @Override
    public void connected(Session session, Hello remoteHello) {
        onExecutor(() -> onConnected(session, remoteHello));
    }

    @Override
    public void message(Session session, Envelope envelope) {
        if (envelope.getRequestId() == 0) {
            usefulAt.put(session.nodeId(), clock.instant());
        }
    }

    @Override
    public void disconnected(Session session, DisconnectReason reason, boolean byUs) {
        onExecutor(() -> onDisconnected(session));
    }

    /** From {@link PeerScores}: bans the node (and its public host) for {@code banDuration}. */
    @Override
    public void ban(NodeId node, PeerAddress address, String reason) {
        List<Ban> made = new ArrayList<>();
        made.add(bans.ban(BanTarget.node(node), config.banDuration(), reason));
        if (PeerAddress.TCP.equals(address.scheme()) && !AddressRules.isLocalHost(address.host())) {
            made.add(bans.ban(BanTarget.host(address.host()), config.banDuration(), reason));
        }
        log.info("Banned {} for {}: {}", made.stream().map(b -> b.target().text()).toList(), config.banDuration(), reason);
        onExecutor(() -> applyBans(made));
    }

    // ---- API for the node program (any thread) ----

    /** {@code addnode add}: keep a link to {@code address}, reconnecting with backoff, never evicted. False when the list is full. */
    public boolean addNode(PeerAddress address) {
        return call(() -> {
            if (!manual.containsKey(address) && manual.size() >= MAX_MANUAL) {
                return false;
            }
            manual.putIfAbsent(address, new Retry());
            if (!closed) {
                dialManual(address, clock.instant());
            }
            return true;
        });
    }

    /** {@code addnode remove}: stop reconnecting (an open link stays). */
    public boolean removeNode(PeerAddress address) {
        return call(() -> manual.remove(address) != null);
    }

    /** {@code addnode onetry}: one dial, no retries. */
    public CompletableFuture<Session> connectOnce(PeerAddress address) {
        return host.dial(address);
    }

    public List<PeerAddress> addedNodes() {
        return call(() -> List.copyOf(manual.keySet()));
    }

    /** {@code disconnectnode}: false if not connected. */
    public boolean disconnect(NodeId node) {
        Optional<Session> s = host.session(node);
        s.ifPresent(x -> x.disconnect(DisconnectReason.REQUESTED, "disconnected by the operator"));
        return s.isPresent();
    }

    /** {@code setban add}: bans a node id or host, persisted, and drops matching links. */
    public Ban ban(BanTarget target, Duration duration, String reason) {
        Ban ban = bans.ban(target, duration, reason);
        call(() -> {
            applyBans(List.of(ban));
            return null;
        });
        return ban;
    }

    /** {@code setban remove}. */
    public boolean unban(BanTarget target) {
        boolean removed = bans.unban(target);
        if (removed) {
            call(() -> {
                banStore.delete(List.of(target));
                return null;
            });
        }
        return removed;
    }

    /** {@code listbanned}. */
    public List<Ban> listBanned() {
        return bans.list();
    }

    /** {@code clearbanned}. */
    public void clearBanned() {
        List<BanTarget> all = bans.clear().stream().map(Ban::target).toList();
        call(() -> {
            banStore.delete(all);
            return null;
        });
    }

    /** {@code getpeerinfo}. */
    public List<PeerInfo> peers() {
        return call(() -> {
            List<PeerInfo> out = new ArrayList<>();
            for (Peer p : peers.values()) {
                out.add(new PeerInfo(p.session.nodeId(), p.address, p.group, p.kind, p.session.connectedAt(),
                        p.session.latency(), p.session.remoteHello().agent()));
            }
            out.sort(Comparator.comparing(PeerInfo::connectedAt));
            return out;
        });
    }

    public BookStats addressBookStats() {
        return call(() -> new BookStats(book.newCount(), book.triedCount(), book.collisionCount()));
    }

    /** Counts of the address book's tables. */
    public record BookStats(int newCount, int triedCount, int collisions) {
        public int total() {
            return newCount + triedCount;
        }
    }

    /** A snapshot of every address book entry. */
    public List<KnownPeer> knownPeers() {
        return call(book::entries);
    }

    /** Problems found by {@link AddressBook#sanityCheck()}; empty when consistent. */
    public List<String> addressBookSanityCheck() {
        return call(book::sanityCheck);
    }

    /** Writes the address book, anchors and expired-ban removals now. */
    public void flushNow() {
        call(() -> {
            flush();
            return null;
        });
    }

    /** Adds an address we learned out of band (tests, the node program's tools) as hearsay from ourselves. */
    public void learn(NodeId node, PeerAddress address) {
        call(() -> book.add(node, address, clock.instant(), AddressGroup.of(address), clock.instant()));
    }

    // ---- on the executor ----

    private void onConnected(Session session, Hello hello) {
        if (!session.isOpen()) {
            return;
        }
        NodeId id = session.nodeId();
        Instant now = clock.instant();
        boolean inbound = session.direction() == Direction.INBOUND;
        if (bans.isBanned(id) || (inbound && bans.isHostBanned(session.remoteAddress().host()))) {
            metrics.bannedRefused.increment();
            log.info("Refusing banned peer {} at {}", id.shortForm(), session.remoteAddress());
            session.disconnect(DisconnectReason.MISBEHAVIOUR, "banned");
            return;
        }
        if (inbound) {
            hadInbound = true;
            String scheme = host.transport().scheme();
            for (PeerAddress announced : hello.listenAddresses()) {
                Optional<PeerAddress> a = AddressRules.resolveAnnounced(announced, session.remoteAddress(), scheme);
                if (a.isPresent()) {
                    book.add(id, a.get(), now, AddressGroup.of(session.remoteAddress()), now);
                    break;
                }
            }
            peers.put(id, new Peer(session, session.remoteAddress(), PeerKind.INBOUND));
            long inboundCount = peers.values().stream().filter(p -> p.kind == PeerKind.INBOUND).count();
            if (inboundCount > config.maxInbound()) {
                evictInbound(id);
            }
            return;
        }
        Dial dial = pending.get(idKey(id));
        if (dial == null) {
            dial = pending.get(addressKey(session.remoteAddress()));
        }
        PeerKind kind = dial != null ? dial.kind() : PeerKind.FULL_RELAY;
        PeerAddress address = dial != null ? dial.address() : session.remoteAddress();
        if (dial == null) { // a link someone else dialed (node program, tests)
            if (AddressRules.acceptable(address, host.transport().scheme())) {
                book.good(id, address, now);
            }
            selfAdvertiser.accept(session);
            peerRequester.apply(session);
        }
        peers.put(id, new Peer(session, address, kind));
        updateAnchors();
    }

    private void onDisconnected(Session session) {
        NodeId id = session.nodeId();
        Peer p = peers.get(id);
        if (p == null || p.session != session) {
            return;
        }
        peers.remove(id);
        usefulAt.remove(id);
        if (p.kind.outbound() && p.kind != PeerKind.FEELER) {
            book.seen(id, clock.instant());
        }
    }

    private void evictInbound(NodeId newcomer) {
        List<EvictionCandidate> candidates = new ArrayList<>();
        for (Peer p : peers.values()) {
            if (p.kind == PeerKind.INBOUND) {
                candidates.add(new EvictionCandidate(p.session.nodeId(), p.group, p.session.connectedAt(),
                        p.session.latency(), Optional.ofNullable(usefulAt.get(p.session.nodeId())), false));
            }
        }
        NodeId victim = EvictionSelector.select(candidates, evictionKey).orElse(newcomer);
        Peer p = peers.get(victim);
        if (p != null) {
            metrics.inboundEvicted.increment();
            log.debug("Inbound slots full ({}): evicting {}", config.maxInbound(), victim.shortForm());
            p.session.disconnect(DisconnectReason.TOO_MANY_PEERS, "inbound slots full");
        }
    }

    private void tick() {
        if (closed) {
            return;
        }
        Instant now = clock.instant();
        book.resolveCollisions(now);
        updateAnchors();
        if (!config.autoConnect()) {
            return;
        }
        if (!anchorsDialed) {
            anchorsDialed = true;
            for (KnownPeer a : savedAnchors) {
                if (eligible(a, now, true)) {
                    dial(a.address(), Optional.of(a.nodeId()), PeerKind.BLOCK_ONLY);
                }
            }
        }
        for (PeerAddress address : List.copyOf(manual.keySet())) {
            dialManual(address, now);
        }
        int full = countOutbound(PeerKind.FULL_RELAY);
        int blockOnly = countOutbound(PeerKind.BLOCK_ONLY);
        boolean starved = false;
        while (dialsInFlight() < config.maxPendingDials()
                && (full < config.fullRelayTarget() || blockOnly < config.blockOnlyTarget())) {
            Optional<KnownPeer> candidate = book.select(false, now, p -> eligible(p, now, false));
            if (candidate.isEmpty()) {
                starved = true;
                break;
            }
            PeerKind kind = full < config.fullRelayTarget() ? PeerKind.FULL_RELAY : PeerKind.BLOCK_ONLY;
            dial(candidate.get().address(), Optional.of(candidate.get().nodeId()), kind);
            if (kind == PeerKind.FULL_RELAY) {
                full++;
            } else {
                blockOnly++;
            }
        }
        if (starved) {
            if (book.size() < 2 * config.outboundTarget() || full + blockOnly == 0) {
                dialSeeds(now); // seeds are for bootstrapping, not for every lull
            }
            askForPeers(now);
        }
        boolean targetsMet = full >= config.fullRelayTarget() && blockOnly >= config.blockOnlyTarget();
        if (targetsMet && !now.isBefore(nextFeeler) && dialsInFlight() < config.maxPendingDials()) {
            nextFeeler = now.plus(config.feelerInterval());
            Optional<KnownPeer> test = book.selectTriedCollision().filter(p -> eligible(p, now, true))
                    .or(() -> book.select(true, now, p -> eligible(p, now, true)));
            test.ifPresent(p -> dial(p.address(), Optional.of(p.nodeId()), PeerKind.FEELER));
        }
    }

    /** May we dial this book entry now? {@code ignoreGroupAndBackoff} for anchors and feelers. */
    private boolean eligible(KnownPeer p, Instant now, boolean ignoreGroupAndBackoff) {
        NodeId id = p.nodeId();
        if (id.equals(host.nodeId()) || peers.containsKey(id) || pending.containsKey(idKey(id))
                || !p.address().scheme().equals(host.transport().scheme())
                || bans.isBanned(id) || bans.isHostBanned(p.address().host())) {
            return false;
        }
        if (ignoreGroupAndBackoff) {
            return true;
        }
        if (p.lastTry().isPresent() && p.attempts() > 0
                && now.isBefore(p.lastTry().get().plus(backoff(p.attempts())))) {
            return false;
        }
        return outboundInGroup(p.group()) < config.maxOutboundPerGroup();
    }

    private int outboundInGroup(AddressGroup group) {
        int n = 0;
        for (Peer p : peers.values()) {
            if (countsToTarget(p.kind) && p.group.equals(group)) {
                n++;
            }
        }
        for (Dial d : pending.values()) {
            if (countsToTarget(d.kind()) && d.group().equals(group)) {
                n++;
            }
        }
        return n;
    }

    private int countOutbound(PeerKind kind) {
        int n = 0;
        for (Peer p : peers.values()) {
            if (p.kind == kind) {
                n++;
            }
        }
        for (Dial d : pending.values()) {
            if (d.kind() == kind) {
                n++;
            }
        }
        return n;
    }

    private int dialsInFlight() {
        return pending.size();
    }

    private static boolean countsToTarget(PeerKind kind) {
        return kind == PeerKind.FULL_RELAY || kind == PeerKind.BLOCK_ONLY;
    }

    private Duration backoff(int failures) {
        long factor = 1L << Math.min(failures, 20);
        Duration d = config.reconnectBackoffMin().multipliedBy(factor);
        return d.compareTo(config.reconnectBackoffMax()) > 0 ? config.reconnectBackoffMax() : d;
    }

    private void dialSeeds(Instant now) {
        for (PeerAddress seed : seeds) {
            Retry retry = seedRetry.computeIfAbsent(seed, s -> new Retry());
            if (!now.isBefore(retry.next) && !connectedTo(seed) && !pending.containsKey(addressKey(seed))
                    && !bans.isHostBanned(seed.host())) {
                retry.next = now.plus(backoff(retry.failures));
                dial(seed, Optional.empty(), PeerKind.ADDR_FETCH);
            }
        }
    }

    private void dialManual(PeerAddress address, Instant now) {
        Retry retry = manual.get(address);
        if (retry == null || now.isBefore(retry.next) || connectedTo(address) || pending.containsKey(addressKey(address))) {
            return;
        }
        retry.next = now.plus(backoff(retry.failures));
        dial(address, Optional.empty(), PeerKind.MANUAL);
    }

    private boolean connectedTo(PeerAddress address) {
        for (Peer p : peers.values()) {
            if (p.address.equals(address)) {
                return true;
            }
        }
        return false;
    }

    private void askForPeers(Instant now) {
        if (now.isBefore(nextPeerRequest) || peers.isEmpty()) {
            return;
        }
        nextPeerRequest = now.plus(config.peerRequestInterval());
        List<Peer> all = new ArrayList<>(peers.values());
        peerRequester.apply(all.get(random.nextInt(all.size())).session);
    }

    private void dial(PeerAddress address, Optional<NodeId> expected, PeerKind kind) {
        String key = expected.map(PeerManager::idKey).orElseGet(() -> addressKey(address));
        if (pending.containsKey(key) || closed) {
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
                .whenComplete((session, error) -> onExecutor(() -> dialDone(key, dial, session, error)));
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
            dial.expected().ifPresent(id -> book.attempt(id, now, dial.kind() == PeerKind.FEELER));
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
        book.good(session.nodeId(), dial.address(), now);
        Peer p = peers.get(session.nodeId());
        if (p != null && p.session == session) {
            p.kind = dial.kind();
        }
        if (dial.kind() != PeerKind.FEELER) {
            selfAdvertiser.accept(session); // before GetPeers: the peer relays us while it answers
        }
        switch (dial.kind()) {
            case FEELER -> {
                metrics.feelers.increment();
                session.disconnect(DisconnectReason.REQUESTED, "feeler: address tested");
            }
            case ADDR_FETCH -> peerRequester.apply(session).orTimeout(dialTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((done, e) -> session.disconnect(DisconnectReason.REQUESTED, "addresses fetched"));
            default -> peerRequester.apply(session);
        }
        updateAnchors();
    }

    private void lanPeerFound(LanBeacons.Found found) {
        onExecutor(() -> {
            if (!bans.isBanned(found.nodeId())) {
                Instant now = clock.instant();
                book.add(found.nodeId(), found.address(), now, AddressGroup.of(found.address()), now);
            }
        });
    }

    private void applyBans(List<Ban> made) {
        for (Ban b : made) {
            banStore.save(b);
        }
        for (Peer p : List.copyOf(peers.values())) {
            if (bans.isBanned(p.session.nodeId()) || bans.isHostBanned(p.session.remoteAddress().host())) {
                p.session.disconnect(DisconnectReason.MISBEHAVIOUR, "banned");
            }
        }
        for (Ban b : made) {
            if (b.target().text().startsWith("node:")) {
                book.remove(new NodeId(b.target().text().substring("node:".length())));
            }
        }
    }

    /** Anchors: block-only outbound peers first, then the longest-lived full-relay ones. */
    private void updateAnchors() {
        List<Peer> outbound = new ArrayList<>();
        for (Peer p : peers.values()) {
            if (countsToTarget(p.kind) || p.kind == PeerKind.MANUAL) {
                outbound.add(p);
            }
        }
        if (outbound.isEmpty()) {
            return; // keep the last known anchors through a shutdown, when links close before we save
        }
        outbound.sort(Comparator.comparing((Peer p) -> p.kind != PeerKind.BLOCK_ONLY)
                .thenComparing(p -> p.session.connectedAt()));
        List<KnownPeer> anchors = new ArrayList<>();
        for (Peer p : outbound) {
            if (anchors.size() >= config.anchorCount()) {
                break;
            }
            book.get(p.session.nodeId()).filter(k -> k.address().equals(p.address)).ifPresent(anchors::add);
        }
        currentAnchors = anchors;
    }

    private void flush() {
        if (book.version() != flushedVersion) {
            bookStore.saveEntries(book.entries());
            flushedVersion = book.version();
        }
        if (!currentAnchors.isEmpty() && !currentAnchors.equals(savedAnchors)) {
            bookStore.saveAnchors(currentAnchors);
            savedAnchors = currentAnchors;
        }
        banStore.delete(bans.sweepExpired().stream().map(Ban::target).toList());
    }

    // ---- plumbing ----

    private static String idKey(NodeId id) {
        return "id:" + id.hex();
    }

    private static String addressKey(PeerAddress address) {
        return "addr:" + address;
    }

    private Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("Peer manager {} failed", what, e);
            }
        };
    }

    private void onExecutor(Runnable task) {
        try {
            executor.execute(guarded("task", task));
        } catch (RejectedExecutionException e) {
            log.debug("Peer manager task dropped: closed");
        }
    }

    private <T> T call(Callable<T> task) {
        if (Thread.currentThread() == thread) {
            try {
                return task.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return executor.submit(task).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            throw new IllegalStateException("peer manager call failed: " + e, e);
        }
    }

    /** Stops the schedule, writes the address book and anchors, stops the thread. After the host closed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        lan.ifPresent(LanDiscovery::close);
        synchronized (this) {
            tasks.forEach(t -> t.cancel(false));
        }
        try {
            executor.submit(guarded("final flush", this::flush)).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            log.warn("Final address book flush failed: {}", e.toString());
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(3, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
