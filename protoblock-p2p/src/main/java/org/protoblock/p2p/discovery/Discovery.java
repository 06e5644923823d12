package org.protoblock.p2p.discovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Predicate;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where peers come from: owns the {@link AddressBook} on a thread of its own, fed by peer exchange
 * ({@link PeerExchange}, a protocol), LAN beacons ({@link LanDiscovery}), Hello announcements and
 * dial outcomes; hands out dial candidates ({@link AddressSource}); writes the book and the anchors
 * to its {@link AddressStore} every {@code flushInterval} and on close.
 *
 * <p>Threads: one {@link OwnedExecutor} ("p2p-discovery-…") owns the book, the signed records
 * ({@link RecordBook}, in memory only), the anchors and the store's book part; every call hops onto it. Operator views wait for it at most
 * {@link #CALL_TIMEOUT}. Bounds: the book's (see {@link AddressBook}); at most {@link #MAX_QUEUED}
 * queued tasks, beyond which reports and lookups are dropped (they are hints).
 */
public final class Discovery implements AddressSource, AutoCloseable {
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    public static final int MAX_QUEUED = 10_000;
    private static final Logger log = LoggerFactory.getLogger(Discovery.class);

    /** Counts of the address book's tables. */
    public record BookStats(int newCount, int triedCount, int collisions) {
        public int total() {
            return newCount + triedCount;
        }
    }

    private final PeerHost host;
    private final AddressStore store;
    private final DiscoveryConfig config;
    private final Clock clock;
    private final OwnedExecutor executor;
    private final AddressBook book;
    private final PeerExchange exchange;
    /** Signed peer records, beside the book; owned by the executor thread. */
    private final RecordBook records;
    private final RecordLookup lookup;
    private final Optional<LanDiscovery> lan;
    private final Predicate<NodeId> refused;
    private final List<KnownPeer> loadedAnchors;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

    // ---- owned by the executor thread
    private List<KnownPeer> savedAnchors;
    private List<KnownPeer> currentAnchors = List.of();
    private long flushedVersion = -1;
    private long flushedRecordsVersion = -1;
    private volatile boolean closed;

    /**
     * Loads the book and the anchors from {@code store}; {@link #start()} begins flushing,
     * advertising and beaconing.
     *
     * @param refused    node ids we keep out of the book (banned); must be thread-safe
     * @param misconduct where broken peer-exchange rules are reported
     */
    public Discovery(PeerHost host, AddressStore store, DiscoveryConfig config, P2pMetrics metrics, Clock clock,
                     String networkId, String genesisHex, Predicate<NodeId> refused, Misconduct misconduct) {
        this.host = host;
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.refused = refused;
        this.executor = new OwnedExecutor("p2p-discovery-" + host.nodeId().shortForm(), MAX_QUEUED);
        this.book = new AddressBook(store.loadOrCreateSecret(), config.addressBook(), new Random());
        Instant now = clock.instant();
        int restored = 0;
        for (KnownPeer p : store.loadEntries()) {
            restored += book.restore(p, now) ? 1 : 0;
        }
        this.loadedAnchors = List.copyOf(store.loadAnchors());
        this.savedAnchors = loadedAnchors;
        this.records = new RecordBook(RecordBook.DEFAULT_CAPACITY);
        int restoredRecords = 0;
        for (SignedRecord r : store.loadRecords()) {
            restoredRecords += records.offer(r) == RecordBook.Outcome.ACCEPTED ? 1 : 0;
        }
        this.exchange = new PeerExchange(host, book, records, new OwnRecord(host.identityKey(), clock::millis), executor,
                misconduct, metrics, config, clock, refused);
        this.lookup = new RecordLookup(host, records, executor, exchange::ownRecord, misconduct);
        LanConfig l = config.lan();
        this.lan = l.enabled()
                ? Optional.of(new LanDiscovery(new LanBeacons(networkId, genesisHex, host.nodeId()), l.group(), l.port(),
                        l.interval(), l.interfaces(), host.transport().scheme(), host::listenAddresses, this::lanPeerFound,
                        metrics))
                : Optional.empty();
        log.info("Node {}: address book {} entries ({} restored), {} signed records, {} anchors", host.nodeId().shortForm(),
                book.size(), restored, restoredRecords, loadedAnchors.size());
    }

    /** The peer-exchange protocol, to register with the host's peer events. */
    public PeerExchange exchange() {
        return exchange;
    }

    /** Finding signed records by node id (a protocol, to register with the host's peer events). */
    public RecordLookup lookup() {
        return lookup;
    }

    /** The newest signed record of {@code id} in our record book (our own for our id). */
    public Optional<SignedRecord> record(NodeId id) {
        return id.equals(host.nodeId()) ? Optional.of(exchange.ownRecord()) : executor.call(() -> records.get(id), CALL_TIMEOUT);
    }

    /** Starts flushing, self-advertisement (when reachable) and LAN beacons. Call after listening. */
    public synchronized void start() {
        if (closed || !tasks.isEmpty()) {
            return;
        }
        executor.scheduleEvery(config.flushInterval(), config.flushInterval(), this::flush).ifPresent(tasks::add);
        executor.scheduleEvery(config.advertiseInterval(), config.advertiseInterval(), exchange::advertiseSelf)
                .ifPresent(tasks::add);
        lan.ifPresent(l -> l.start(executor));
    }

    public boolean lanRunning() {
        return lan.map(LanDiscovery::isRunning).orElse(false);
    }

    // ---- AddressSource ----

    @Override
    public CompletableFuture<Candidates> candidates(int max, Predicate<KnownPeer> eligible) {
        return executor.supply(() -> {
            Instant now = clock.instant();
            book.resolveCollisions(now);
            Set<NodeId> chosen = new HashSet<>();
            List<KnownPeer> out = new ArrayList<>();
            while (out.size() < max) {
                Optional<KnownPeer> p = book.select(false, now, c -> !chosen.contains(c.nodeId()) && eligible.test(c));
                if (p.isEmpty()) {
                    break;
                }
                chosen.add(p.get().nodeId());
                out.add(p.get());
            }
            return new Candidates(out, book.size());
        });
    }

    @Override
    public CompletableFuture<Optional<KnownPeer>> feelerCandidate(Predicate<KnownPeer> eligible) {
        return executor.supply(() -> {
            Instant now = clock.instant();
            return book.selectTriedCollision().filter(eligible).or(() -> book.select(true, now, eligible));
        });
    }

    @Override
    public void dialSucceeded(NodeId id, PeerAddress address) {
        onThread(() -> book.good(id, address, clock.instant()));
    }

    @Override
    public void dialFailed(NodeId id, boolean feeler) {
        onThread(() -> book.attempt(id, clock.instant(), feeler));
    }

    @Override
    public void heard(NodeId id, PeerAddress address, PeerAddress source) {
        onThread(() -> {
            if (!refused.test(id) && !id.equals(host.nodeId()) && AddressRules.acceptableFrom(address, source)) {
                Instant now = clock.instant();
                book.add(id, address, now, AddressGroup.of(source), now);
            }
        });
    }

    @Override
    public void linkClosed(NodeId id) {
        onThread(() -> book.seen(id, clock.instant()));
    }

    @Override
    public void forget(NodeId id) {
        onThread(() -> {
            book.remove(id);
            records.remove(id);
        });
    }

    @Override
    public CompletableFuture<Void> requestPeers(Session session) {
        return exchange.requestPeers(session);
    }

    @Override
    public void advertiseSelfTo(Session session) {
        exchange.advertiseSelfTo(session);
    }

    @Override
    public List<KnownPeer> savedAnchors() {
        return loadedAnchors;
    }

    @Override
    public void anchors(List<Contact> anchors) {
        onThread(() -> {
            List<KnownPeer> known = new ArrayList<>();
            for (Contact c : anchors) {
                book.get(c.nodeId()).filter(k -> k.address().equals(c.address())).ifPresent(known::add);
            }
            if (!known.isEmpty()) {
                currentAnchors = known; // keep the last known through a shutdown, when links close before we save
            }
        });
    }

    // ---- operator and test views (any thread; wait at most CALL_TIMEOUT) ----

    public BookStats stats() {
        return executor.call(() -> new BookStats(book.newCount(), book.triedCount(), book.collisionCount()), CALL_TIMEOUT);
    }

    /** A snapshot of every address book entry. */
    public List<KnownPeer> knownPeers() {
        return executor.call(book::entries, CALL_TIMEOUT);
    }

    /** Problems found by {@link AddressBook#sanityCheck()}; empty when consistent. */
    public List<String> sanityCheck() {
        return executor.call(() -> {
            List<String> problems = new ArrayList<>(book.sanityCheck());
            problems.addAll(records.sanityCheck());
            return problems;
        }, CALL_TIMEOUT);
    }

    /** Writes the address book and anchors now. */
    public void flushNow() {
        executor.call(() -> {
            flush();
            return null;
        }, CALL_TIMEOUT);
    }

    /** Adds an address learned out of band (tests, the node program's tools) as hearsay from ourselves. */
    public void learn(NodeId node, PeerAddress address) {
        executor.call(() -> book.add(node, address, clock.instant(), AddressGroup.of(address), clock.instant()), CALL_TIMEOUT);
    }

    // ---- on the executor ----

    private void lanPeerFound(LanBeacons.Found found) {
        heard(found.nodeId(), found.address(), found.address());
    }

    private void flush() {
        if (book.version() != flushedVersion || records.version() != flushedRecordsVersion) {
            store.saveEntries(book.entries(), records.all());
            flushedVersion = book.version();
            flushedRecordsVersion = records.version();
        }
        if (!currentAnchors.isEmpty() && !currentAnchors.equals(savedAnchors)) {
            store.saveAnchors(currentAnchors);
            savedAnchors = currentAnchors;
        }
    }

    private void onThread(Runnable task) {
        if (!executor.execute(task)) {
            log.debug("Discovery busy or closed: report dropped");
        }
    }

    /** Stops beacons and timers, writes the book and anchors, stops the thread. After the host closed. */
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
        exchange.close();
        lookup.close();
        try {
            executor.call(() -> {
                flush();
                return null;
            }, CALL_TIMEOUT);
        } catch (IllegalStateException e) {
            log.warn("Final address book flush failed: {}", e.toString());
        }
        executor.close(Duration.ofSeconds(3));
    }
}
