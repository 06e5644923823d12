package org.protoblock.p2p.gossip;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.protoblock.chain.service.ChainListener;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.Sha256;
import org.protoblock.chain.types.TxId;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.p2p.chain.ChainAccess;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.peer.Misbehaviour;
import org.protoblock.p2p.peer.PeerScores;
import org.protoblock.p2p.protocol.Protocol;
import org.protoblock.p2p.session.RequestTimeoutException;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;
import org.protoblock.p2p.wire.proto.GetTxs;
import org.protoblock.p2p.wire.proto.Inventory;
import org.protoblock.p2p.wire.proto.TxRelaySalt;
import org.protoblock.p2p.wire.proto.Txs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transaction gossip (DESIGN.md "Transaction gossip"): only transactions our chain accepted are
 * relayed; their ids are announced to peers not known to have them, at once on an idle link and in
 * batches under load ({@link AnnouncePacer}), by the link's follower end a few milliseconds later
 * unless the leader announced them first ({@link DeferredAnnouncements}), as 4-byte short ids salted per link ({@code
 * tx_short_ids}, {@link ShortTxIds}), or as full ids ({@code Inventory{TX}}) to a peer that sent no
 * {@code TxRelaySalt} or where a short id is ambiguous; announced ids we lack are fetched ({@code
 * GetTxs}, or {@code get_tx_short_ids} by short id) one announcer at a time through
 * the {@link TxRequestTracker}, with a timeout fallback to the next announcer; announced short ids
 * we cannot resolve ({@link ShortIdTable}) wait for the bodies in flight and are then fetched by
 * short id from their announcer ({@link ParkedShortIds}); bodies go to
 * {@link ChainAccess#submitTransaction}.
 *
 * <p>Events, one per fact: a transaction we relay arrives once, in {@link #onTransactionAccepted}
 * (the future of our own submission only carries a refusal, to score its sender); transactions
 * included in blocks, and those a reorg returned, arrive once, in {@link #onHeadChanged}; those a
 * block made invalid (a conflict) in {@link #onTransactionsRemoved}.
 *
 * <p>Threads: all state below belongs to this protocol's {@link OwnedExecutor}. Peer callbacks
 * (Netty event loops) and chain events (chain executor) only hop onto it; nothing here blocks.
 *
 * <p>What we "already have" ({@link #isKnownLocally}): in the mempool, being validated, recently
 * included by the chain (or in the main chain's transaction index), or recently rejected.
 */
public final class TxGossip implements Protocol, ChainListener, TxAnnouncements {
    private static final Logger log = LoggerFactory.getLogger(TxGossip.class);

    private final ChainAccess chain;
    private final PeerScores scores;
    private final P2pMetrics metrics;
    private final GossipConfig config;
    private final ChainCodec codec;
    private final OwnedExecutor executor;

    // ---- executor-owned state
    private final Map<Session, PeerState> peers = new HashMap<>();
    private final KnownInventory<Session, TxId> known;
    private final TxRequestTracker<Session> tracker;
    private final BoundedIdSet<TxId> rejected;
    /** Hashes of the full bytes of copies rejected for what their id does not cover (signature, name). */
    private final BoundedIdSet<Hash256> rejectedCopies;
    private final BoundedIdSet<TxId> recentlyIncluded;
    /**
     * Bodies received and handed to the chain, not yet accepted or rejected (bounded by requests in
     * flight), with the other peers that announced them (at most every peer): asked in turn when
     * the copy we got is rejected for what its id does not cover.
     */
    private final Map<TxId, Set<Session>> validating = new HashMap<>();
    private final ParkedShortIds<Session> parked;
    /** What we recently held (see {@link #noteHeld}), to fill a new link's short id table: a peer may announce those. */
    private final BoundedIdSet<TxId> recentlyHeld;
    private final SecureRandom salts = new SecureRandom();
    /** Whether {@link #tick} is scheduled ({@link #armTick}). */
    private boolean tickArmed;

    /**
     * Transactions of unknown names a peer may send in a row (none accepted between) before each
     * further {@link #UNKNOWN_NAMES_IN_A_ROW} costs it a SPAM score. Rationale: an honest peer
     * relays only what it accepted, so it knew the name; we lack the registration only while it
     * is in flight, which a few transactions cover, not hundreds (a free flood otherwise).
     */
    private static final int UNKNOWN_NAMES_IN_A_ROW = 256;

    /** Per peer: ids accepted by our chain, waiting to be announced to it. */
    private static final class PeerState {
        final Session session;
        final LinkedHashSet<TxId> toAnnounce = new LinkedHashSet<>();
        final AnnouncePacer pacer;
        /** A re-check of {@link #pacer} is scheduled on the executor. */
        boolean checkScheduled;
        int requestsInFlight;
        /** Our half of the link's short id salt, sent in TxRelaySalt. */
        final long ourSalt;
        /** The link's short ids, once the peer's TxRelaySalt arrived. */
        Optional<ShortIdTable> shortIds = Optional.empty();
        /** Its transactions refused for an unknown name since the last one we accepted. */
        int unknownNamesInARow;
        /** Whether we are the link's follower (the larger salt; known once the peer's TxRelaySalt came). */
        boolean follower;
        /** Our announcements held back as the follower ({@link DeferredAnnouncements}). */
        final DeferredAnnouncements deferred;
        /** A release of {@link #deferred} is scheduled on the executor. */
        boolean releaseScheduled;

        PeerState(Session session, AnnouncePacer pacer, long ourSalt, DeferredAnnouncements deferred) {
            this.session = session;
            this.pacer = pacer;
            this.ourSalt = ourSalt;
            this.deferred = deferred;
        }
    }

    public TxGossip(ChainAccess chain, PeerScores scores, P2pMetrics metrics, GossipConfig config) {
        this.chain = chain;
        this.scores = scores;
        this.metrics = metrics;
        this.config = config;
        this.codec = new ChainCodec(chain.network().limits());
        // Bounded for inventories, GetTxs and accepted-tx announcements (dropped when full: mempool
        // sync and other peers catch up); executeAlways for session lifecycle, blocks connected
        // (bounded by the chain's pace) and our requests' answers (bounded by requests in flight).
        this.executor = new OwnedExecutor("tx-gossip", config.executorQueue());
        this.known = new KnownInventory<>(config.knownTxsPerPeer());
        this.tracker = new TxRequestTracker<>(new TxRequestTracker.Limits(config.maxTxAnnouncementsPerPeer(),
                config.maxTxsInFlightPerPeer(), config.txRequestTimeout().toMillis()));
        this.rejected = new BoundedIdSet<>(config.rejectedTxs());
        this.rejectedCopies = new BoundedIdSet<>(config.rejectedTxs());
        this.recentlyIncluded = new BoundedIdSet<>(config.recentTxs());
        this.recentlyHeld = new BoundedIdSet<>(config.shortIdsPerPeer());
        this.parked = new ParkedShortIds<>(config.maxTxAnnouncementsPerPeer(), config.shortIdMaxWait().toMillis());
        chain.subscribe(this);
    }

    @Override
    public Set<Envelope.BodyCase> messageTypes() {
        return Set.of(Envelope.BodyCase.TX_SHORT_IDS, Envelope.BodyCase.GET_TX_SHORT_IDS, Envelope.BodyCase.INVENTORY,
                Envelope.BodyCase.GET_TXS, Envelope.BodyCase.TXS, Envelope.BodyCase.TX_RELAY_SALT);
    }

    // ---- peer events (event loops): hop onto the executor

    @Override
    public void connected(Session session, Hello remoteHello) {
        executor.executeAlways(() -> {
            PeerState peer = new PeerState(session,
                    new AnnouncePacer(config.announceInterval().toNanos(), config.announceBatch()), salts.nextLong(),
                    new DeferredAnnouncements(config.followerDelay().toNanos()));
            peers.put(session, peer);
            known.addPeer(session);
            parked.addPeer(session);
            session.send(Envelope.newBuilder().setTxRelaySalt(TxRelaySalt.newBuilder().setSalt(peer.ourSalt)).build());
        });
    }

    @Override
    public void disconnected(Session session, DisconnectReason reason, boolean byUs) {
        executor.executeAlways(() -> {
            peers.remove(session);
            known.removePeer(session);
            parked.removePeer(session);
            tracker.disconnectedPeer(session);
            pumpAll();
        });
    }

    @Override
    public void message(Session session, Envelope envelope) {
        metrics.gossipBytesReceived.add(envelope.getSerializedSize());
        switch (envelope.getBodyCase()) {
            case TX_SHORT_IDS -> onShortIds(session, envelope.getTxShortIds());
            case INVENTORY -> onInventory(session, envelope.getInventory());
            case GET_TXS, GET_TX_SHORT_IDS -> {
                if (envelope.getRequestId() == 0) {
                    scores.penalize(session, Misbehaviour.MALFORMED, envelope.getBodyCase() + " without a request id");
                } else if (!executor.execute(() -> serveTxs(session, envelope))) {
                    session.respondError(envelope, ErrorResponse.Code.BUSY, "tx gossip busy");
                }
            }
            case TXS -> scores.penalize(session, Misbehaviour.UNSOLICITED, "Txs pushed without a request");
            case TX_RELAY_SALT -> {
                long salt = envelope.getTxRelaySalt().getSalt();
                if (!executor.execute(() -> onSalt(session, salt))) {
                    log.debug("tx gossip busy: salt from {} dropped (full ids on that link)", session);
                }
            }
            default -> { }
        }
    }

    private void onInventory(Session session, Inventory inventory) {
        if (inventory.getKind() != Inventory.Kind.TX) {
            return; // blocks are announced with NewBlock
        }
        int count = inventory.getIdsCount();
        if (count > config.maxInventoryIds()) {
            scores.penalize(session, Misbehaviour.MALFORMED, "inventory of " + count + " ids");
            return;
        }
        Optional<List<TxId>> ids = WireIds.txIds(inventory.getIdsList());
        if (ids.isEmpty()) {
            scores.penalize(session, Misbehaviour.MALFORMED, "inventory id not 32 bytes");
            return;
        }
        metrics.announcementsReceived.add(count);
        if (!executor.execute(() -> announced(session, ids.get()))) {
            log.debug("tx gossip busy: inventory from {} dropped", session);
        }
    }

    /** An announcement by the link's short ids ({@code tx_short_ids}): checked as an Inventory is. */
    private void onShortIds(Session session, ByteString packed) {
        Optional<long[]> shortIds = ShortTxIds.unpack(packed, ShortTxIds.LINK_BYTES);
        if (shortIds.isEmpty()) {
            scores.penalize(session, Misbehaviour.MALFORMED, "short ids not " + ShortTxIds.LINK_BYTES + " bytes each");
            return;
        }
        if (shortIds.get().length > config.maxInventoryIds()) {
            scores.penalize(session, Misbehaviour.MALFORMED, "announcement of " + shortIds.get().length + " short ids");
            return;
        }
        metrics.announcementsReceived.add(shortIds.get().length);
        if (!executor.execute(() -> announcedShort(session, shortIds.get()))) {
            log.debug("tx gossip busy: short ids from {} dropped", session);
        }
    }

    /** Mempool sync hands the peer's mempool ids over here, as announcements from it. */
    @Override
    public void announcedBy(Session session, List<TxId> ids) {
        if (!executor.execute(() -> announced(session, ids))) {
            log.debug("tx gossip busy: mempool ids from {} dropped", session);
        }
    }

    // ---- chain events (chain executor): hop onto the executor

    @Override
    public void onTransactionAccepted(ChainTransaction tx) {
        if (!executor.execute(() -> queueAnnouncement(tx.id()))) {
            log.debug("tx gossip busy: announcement of {} dropped", tx.id().shortHex());
        }
    }

    /** Dropped from the mempool for a conflict with a block (its name is taken): refused here too, until a reorg. */
    @Override
    public void onTransactionsRemoved(List<ChainTransaction> txs, RemovalReason reason) {
        if (reason == RemovalReason.CONFLICT) {
            List<TxId> ids = txs.stream().map(ChainTransaction::id).toList();
            executor.executeAlways(() -> ids.forEach(this::noteConflicting));
        }
    }

    /** Transactions of connected blocks are included (whether or not they were in our mempool); those of abandoned blocks no longer. */
    @Override
    public void onHeadChanged(AddOutcome outcome) {
        List<TxId> included = new ArrayList<>();
        outcome.connected().forEach(b -> included.addAll(b.txIds()));
        List<TxId> returned = new ArrayList<>();
        for (ChainBlock block : outcome.disconnected()) {
            returned.addAll(block.txIds());
        }
        boolean reorg = outcome.isReorg();
        executor.executeAlways(() -> {
            if (reorg) {
                rejected.clear(); // state-dependent rejections may no longer hold
            }
            returned.forEach(recentlyIncluded::remove);
            included.forEach(this::noteIncluded);
            // Transactions of abandoned blocks the chain returned to the mempool: announce them
            // again, even to peers that "knew" them (they may have lost them in the reorg too).
            for (TxId id : returned) {
                if (chain.mempoolContains(id)) {
                    known.forgetEverywhere(id);
                    queueAnnouncement(id);
                }
            }
        });
    }

    // ---- executor: announcements out

    private void queueAnnouncement(TxId id) {
        if (!chain.mempoolContains(id)) {
            return; // gone meanwhile (included, expired)
        }
        noteHeld(id);
        for (PeerState peer : peers.values()) {
            if (known.isKnown(peer.session, id)) {
                continue;
            }
            if (peer.toAnnounce.size() + peer.deferred.size() >= config.maxQueuedAnnouncements()) {
                continue; // the peer will get it from mempool sync or another neighbour
            }
            if (holdsBack(peer)) {
                if (peer.deferred.hold(id, System.nanoTime())) {
                    scheduleRelease(peer);
                }
                continue;
            }
            if (peer.toAnnounce.add(id)) {
                peer.pacer.queued(System.nanoTime());
                announceIfDue(peer);
            }
        }
        armTick();
    }

    /**
     * Whether a new announcement to {@code peer} waits as the link's follower: only on an idle link
     * (or behind ones already waiting, to keep their order). Under load the pacer batches anyway, and
     * holding back there cost latency and CPU for no fewer announcements (BENCHMARKS.md).
     */
    private boolean holdsBack(PeerState peer) {
        if (!peer.follower || config.followerDelay().isZero()) {
            return false;
        }
        return peer.deferred.size() > 0
                || peer.toAnnounce.isEmpty() && peer.pacer.idle(System.nanoTime(), peer.session.queuedBytes() == 0);
    }

    private void scheduleRelease(PeerState peer) {
        if (peer.releaseScheduled) {
            return;
        }
        long delayNanos = Math.max(0, peer.deferred.nextDueNanos().orElseThrow() - System.nanoTime());
        peer.releaseScheduled = executor.schedule(Duration.ofNanos(delayNanos), () -> release(peer)).isPresent();
    }

    /** Held announcements that are due and that the peer did not announce to us meanwhile go to the pacer. */
    private void release(PeerState peer) {
        peer.releaseScheduled = false;
        if (peers.get(peer.session) != peer) {
            return;
        }
        long now = System.nanoTime();
        for (TxId id : peer.deferred.takeDue(now)) {
            if (!known.isKnown(peer.session, id) && peer.toAnnounce.add(id)) {
                peer.pacer.queued(now);
            }
        }
        announceIfDue(peer);
        if (peer.deferred.size() > 0) {
            scheduleRelease(peer);
        }
    }

    /** Announces the peer's pending ids if its {@link AnnouncePacer} says so, else re-checks when it may. */
    private void announceIfDue(PeerState peer) {
        long now = System.nanoTime();
        boolean queueEmpty = peer.session.queuedBytes() == 0;
        if (peer.pacer.shouldSend(now, peer.toAnnounce.size(), queueEmpty)) {
            flush(peer);
            peer.pacer.sent(now);
            return;
        }
        if (!peer.toAnnounce.isEmpty() && !peer.checkScheduled) {
            long delayNanos = peer.pacer.nextCheckNanos(now, queueEmpty) - now;
            Duration delay = Duration.ofMillis(Math.max(1, (delayNanos + 999_999) / 1_000_000));
            peer.checkScheduled = executor.schedule(delay, () -> {
                peer.checkScheduled = false;
                if (peers.get(peer.session) == peer) {
                    announceIfDue(peer);
                }
            }).isPresent();
        }
    }

    private void flush(PeerState peer) {
        while (!peer.toAnnounce.isEmpty()) {
            List<TxId> batch = new ArrayList<>();
            Iterator<TxId> it = peer.toAnnounce.iterator();
            while (it.hasNext() && batch.size() < config.maxInventoryIds()) {
                TxId id = it.next();
                it.remove();
                if (!known.isKnown(peer.session, id)) {
                    batch.add(id);
                }
            }
            if (batch.isEmpty()) {
                return;
            }
            if (!announce(peer, batch)) {
                log.debug("announcement of {} txs to {} dropped (queue full or closed)", batch.size(), peer.session);
                return;
            }
            batch.forEach(id -> known.markKnown(peer.session, id));
            metrics.announcementsSent.add(batch.size());
        }
    }

    /**
     * Sends {@code batch}: by the link's short ids where they name it unambiguously ({@code
     * tx_short_ids}), by full id otherwise ({@code Inventory}; one such message more in the rare
     * batch that has both). Returns false when a message was dropped (queue full or closed).
     */
    private boolean announce(PeerState peer, List<TxId> batch) {
        List<TxId> full = batch;
        if (peer.shortIds.isPresent()) {
            ShortIdTable table = peer.shortIds.get();
            full = new ArrayList<>();
            batch.forEach(table::add); // held already unless the table forgot them meanwhile
            long[] shorts = new long[batch.size()];
            int n = 0;
            for (TxId id : batch) { // judged after the whole batch is in: two of it may collide
                if (table.unambiguous(id)) {
                    shorts[n++] = table.shortId(id);
                } else {
                    full.add(id);
                }
            }
            if (n > 0 && !peer.session.send(Envelope.newBuilder()
                    .setTxShortIds(ShortTxIds.pack(shorts, n, ShortTxIds.LINK_BYTES)).build())) {
                return false;
            }
        }
        return full.isEmpty() || peer.session.send(Envelope.newBuilder()
                .setInventory(Inventory.newBuilder().setKind(Inventory.Kind.TX).addAllIds(WireIds.toWire(full))).build());
    }

    /**
     * Runs {@link #tick} one announce interval from now unless it is already due. Called wherever
     * work that needs the tick appears: a tracked announcement, a parked short id, a queued
     * announcement. Rationale: a tick every interval on an idle node does nothing, and it was
     * 7–17 % of all CPU of 500 simulated nodes (JFR) once blocks were flowing.
     */
    private void armTick() {
        if (!tickArmed) {
            tickArmed = executor.schedule(config.announceInterval(), this::tick).isPresent();
        }
    }

    /** Whether anything waits for {@link #tick}: requests to time out or send, short ids to fetch, announcements. */
    private boolean tickHasWork() {
        return tracker.txCount() > 0 || !parked.isEmpty() || peers.values().stream().anyMatch(p -> !p.toAnnounce.isEmpty());
    }

    /**
     * Timeouts, then what they make requestable, then the announcement safety net; runs while
     * {@link #tickHasWork}. Rationale for the guards: asking each peer's tracker entry and pacer
     * when nothing is tracked or pending was half of all CPU of 200 idle simulated nodes (JFR).
     * Skipped work is exactly what would have done nothing.
     */
    private void tick() {
        tickArmed = false;
        List<TxRequestTracker.Expired<Session>> expired = tracker.expire(nowMillis());
        for (TxRequestTracker.Expired<Session> e : expired) {
            log.debug("GetTxs for {} timed out at {}", e.txId().shortHex(), e.peer());
        }
        if (tracker.txCount() > 0) {
            peers.values().forEach(this::pump); // nothing tracked: no peer has anything requestable
        }
        pumpShortIds();
        for (PeerState peer : peers.values()) {
            if (!peer.toAnnounce.isEmpty()) {
                announceIfDue(peer); // a safety net: announceIfDue schedules its own re-checks
            }
        }
        if (tickHasWork()) {
            armTick();
        }
    }

    // ---- executor: announcements in, requests out

    private void announced(Session session, List<TxId> ids) {
        PeerState peer = peers.get(session);
        if (peer == null) {
            return;
        }
        for (TxId id : ids) {
            known.markKnown(session, id);
            peer.toAnnounce.remove(id);
            peer.deferred.cancel(id);
            Set<Session> waiting = validating.get(id);
            if (waiting != null) {
                waiting.add(session);
            } else if (!isKnownLocally(id)) {
                tracker.receivedInv(session, id);
            }
        }
        pump(peer);
        armTick();
    }

    // ---- executor: short ids

    private void onSalt(Session session, long salt) {
        PeerState peer = peers.get(session);
        if (peer == null) {
            return;
        }
        if (peer.shortIds.isPresent()) {
            scores.penalize(session, Misbehaviour.MALFORMED, "a second TxRelaySalt");
            return;
        }
        peer.follower = DeferredAnnouncements.follows(peer.ourSalt, salt);
        ShortIdTable table = new ShortIdTable(ShortTxIds.forLink(peer.ourSalt, salt)::of, config.shortIdsPerPeer());
        recentlyHeld.snapshot().forEach(table::add); // oldest first, as they arrived
        peer.shortIds = Optional.of(table);
    }

    /** Short ids the peer announced: those we hold become announcements of their ids; the others are parked. */
    private void announcedShort(Session session, long[] shortIds) {
        PeerState peer = peers.get(session);
        if (peer == null || shortIds.length == 0) {
            return;
        }
        if (peer.shortIds.isEmpty()) {
            log.debug("{} announced short ids before its TxRelaySalt: ignored", session);
            return;
        }
        ShortIdTable table = peer.shortIds.get();
        List<TxId> resolved = new ArrayList<>();
        long now = nowMillis();
        for (long sid : shortIds) {
            Optional<TxId> id = table.resolve(sid);
            if (id.isPresent()) {
                resolved.add(id.get());
            } else if (parked.count(session) + tracker.announcementCount(session) < config.maxTxAnnouncementsPerPeer()) {
                parked.park(session, sid, now);
            }
        }
        announced(session, resolved);
        pumpShortIds();
        armTick();
    }

    /**
     * We hold {@code id} (accepted, or a body received to validate): every link's table learns its
     * short id, and a peer that announced that short id is known to have it (not fetched). Returns
     * those peers: announcers to ask if the copy we hold is rejected for what its id does not cover.
     */
    private List<Session> noteHeld(TxId id) {
        recentlyHeld.add(id);
        List<Session> announcers = new ArrayList<>();
        for (PeerState peer : peers.values()) {
            if (peer.shortIds.isPresent() && parked.resolve(peer.session, peer.shortIds.get().add(id))) {
                known.markKnown(peer.session, id);
                announcers.add(peer.session);
            }
        }
        return announcers;
    }

    private boolean isKnownLocally(TxId id) {
        return chain.mempoolContains(id) || validating.containsKey(id) || rejected.contains(id)
                || recentlyIncluded.contains(id) || chain.isIncluded(id);
    }

    private void pumpAll() {
        peers.values().forEach(this::pump);
        pumpShortIds();
    }

    private void pump(PeerState peer) {
        if (chain.isStopped()) {
            return; // a stopped chain takes no transactions: nothing is fetched
        }
        // Nothing more is asked while the chain holds maxTxsValidating of ours (see receiveBodies).
        while (peer.requestsInFlight < config.maxTxRequestsPerPeer() && validating.size() < config.maxTxsValidating()) {
            List<TxId> ids = tracker.requestable(peer.session, nowMillis(), config.maxTxsPerRequest());
            if (ids.isEmpty()) {
                return;
            }
            requestTxs(peer, parked.fullIdRequestSent(), ids, List.of());
        }
    }

    /**
     * Fetches parked short ids that are due, one announcer per wave ({@link ParkedShortIds}). Not
     * held back by the per-peer request limit: a wave passed over for it would let a later
     * announcer's short id, maybe of the same transaction, go first. The session's own limit
     * still applies (a refused request drops its short ids; other announcers' become due).
     */
    private void pumpShortIds() {
        while (!chain.isStopped() && validating.size() < config.maxTxsValidating()) {
            Optional<ParkedShortIds.Wave<Session>> wave = parked.takeDue(nowMillis(), config.maxTxsPerRequest());
            if (wave.isEmpty()) {
                return;
            }
            PeerState peer = peers.get(wave.get().peer());
            long seq = parked.waveSent(wave.get());
            if (peer == null) {
                parked.requestDone(seq);
                continue;
            }
            requestTxs(peer, seq, List.of(), wave.get().shortIds());
        }
    }

    /** Asks for {@code ids} ({@code GetTxs}) or for {@code shortIds} ({@code get_tx_short_ids}): one kind per request. */
    private void requestTxs(PeerState peer, long seq, List<TxId> ids, List<Long> shortIds) {
        if (!ids.isEmpty() && !shortIds.isEmpty()) {
            throw new IllegalArgumentException("ids and short ids in one request");
        }
        peer.requestsInFlight++;
        Envelope request = shortIds.isEmpty()
                ? Envelope.newBuilder().setGetTxs(GetTxs.newBuilder().addAllTxIds(WireIds.toWire(ids))).build()
                : Envelope.newBuilder().setGetTxShortIds(ShortTxIds.pack(shortIds.stream().mapToLong(Long::longValue).toArray(),
                        shortIds.size(), ShortTxIds.LINK_BYTES)).build();
        peer.session.request(request, config.txRequestTimeout()).whenComplete((response, error) ->
                executor.executeAlways(() -> onTxs(peer, seq, ids, shortIds, response, error)));
    }

    private void onTxs(PeerState peer, long seq, List<TxId> requestedIds, List<Long> requestedShortIds, Envelope response,
                       Throwable error) {
        peer.requestsInFlight--;
        Session session = peer.session;
        Set<TxId> outstanding = new LinkedHashSet<>(requestedIds);
        Set<Long> outstandingShort = new HashSet<>(requestedShortIds);
        if (error == null && response.getBodyCase() != Envelope.BodyCase.TXS) {
            scores.penalize(session, Misbehaviour.MISMATCHED_RESPONSE, "GetTxs answered with " + response.getBodyCase());
        } else if (error == null) {
            metrics.gossipBytesReceived.add(response.getSerializedSize());
            receiveBodies(peer, response.getTxs(), outstanding, outstandingShort);
        } else {
            log.debug("GetTxs to {} failed: {}", session, error.toString());
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof RequestTimeoutException && !requestedShortIds.isEmpty()) {
                // Until it times out, its wave holds back every later short id (ParkedShortIds): a peer
                // that announces short ids and never serves them must not do that for long.
                scores.penalize(session, Misbehaviour.STALLING, "GetTxs by short id unanswered");
            }
        }
        // Short ids not delivered are dropped: their other announcers' (parked) short ids are due now.
        parked.requestDone(seq);
        // Not delivered (not found, timed out, refused): fall back to the next announcer.
        outstanding.forEach(id -> tracker.receivedResponse(session, id));
        if (peers.get(session) == peer) {
            pumpAll();
        } else {
            pumpShortIds(); // short ids that waited for this request are due now, whoever announced them
        }
    }

    private void receiveBodies(PeerState peer, Txs txs, Set<TxId> outstanding, Set<Long> outstandingShort) {
        Session session = peer.session;
        int asked = outstanding.size() + outstandingShort.size();
        if (txs.getTxsCount() > asked) {
            scores.penalize(session, Misbehaviour.MISMATCHED_RESPONSE, txs.getTxsCount() + " txs for " + asked + " ids");
            return;
        }
        for (ByteString body : txs.getTxsList()) {
            metrics.txBodiesReceived.increment();
            metrics.bodyBytesReceived.add(body.size());
            byte[] bytes = body.toByteArray();
            Hash256 copy = Sha256.hash(bytes);
            if (rejectedCopies.contains(copy)) {
                scores.penalize(session, Misbehaviour.INVALID_TRANSACTION, "served a copy already rejected");
                continue; // still outstanding: the next announcer is asked
            }
            ChainTransaction tx;
            try {
                tx = codec.parseTransaction(bytes);
            } catch (ValidationException e) {
                scores.penalize(session, Misbehaviour.INVALID_TRANSACTION, e.getMessage());
                continue;
            }
            if (!outstanding.remove(tx.id()) && !(peer.shortIds.isPresent()
                    && outstandingShort.remove(peer.shortIds.get().shortId(tx.id())))) {
                scores.penalize(session, Misbehaviour.UNSOLICITED, "tx " + tx.id().shortHex() + " not requested");
                continue;
            }
            if (validating.size() >= config.maxTxsValidating() && !isKnownLocally(tx.id())) {
                // The chain has enough of ours to judge: this body is left undelivered (another
                // announcer is asked, or mempool sync brings it later) rather than queued on the
                // chain executor, whose queue also carries blocks.
                outstanding.add(tx.id());
                continue;
            }
            tracker.receivedResponse(session, tx.id());
            known.markKnown(session, tx.id());
            List<Session> shortIdAnnouncers = noteHeld(tx.id());
            if (isKnownLocally(tx.id())) {
                metrics.txBodiesDuplicate.increment();
                tracker.forgetTxId(tx.id());
                continue;
            }
            // We hold a body now: nobody else is asked for it unless this copy is rejected.
            Set<Session> others = new LinkedHashSet<>(tracker.pendingAnnouncers(tx.id()));
            others.addAll(shortIdAnnouncers);
            others.remove(session);
            tracker.forgetTxId(tx.id());
            validating.put(tx.id(), others);
            chain.submitTransaction(tx).whenComplete((id, failure) ->
                    executor.executeAlways(() -> onValidated(session, tx, copy, failure)));
        }
    }

    private void onValidated(Session session, ChainTransaction tx, Hash256 copy, Throwable failure) {
        Set<Session> others = validating.remove(tx.id());
        if (validating.size() == config.maxTxsValidating() - 1) {
            pumpAll(); // requests paused at the cap resume
        }
        PeerState peer = peers.get(session);
        if (failure == null) {
            if (peer != null) {
                peer.unknownNamesInARow = 0;
            }
            return; // onTransactionAccepted announces it (not to the sender: it is known there)
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (!(cause instanceof ValidationException invalid)) {
            log.debug("tx {} from {} not submitted: {}", tx.id().shortHex(), session, cause.toString());
            return;
        }
        TxRejection verdict = TxRejection.of(invalid.rule());
        boolean copyOnly = TxRejection.specificToCopy(invalid.rule());
        if (copyOnly) {
            if (verdict == TxRejection.PEER_FAULT) {
                rejectedCopies.add(copy); // a retryable copy (unknown name) may be valid later
            }
            refetchFromOthers(tx.id(), others);
        }
        switch (verdict) {
            case DUPLICATE -> metrics.txBodiesDuplicate.increment();
            case PEER_FAULT -> {
                if (!copyOnly) {
                    rejected.add(tx.id());
                }
                scores.penalize(session, Misbehaviour.INVALID_TRANSACTION, "tx " + tx.id().shortHex() + ": " + invalid.getMessage());
            }
            case STATE -> {
                rejected.add(tx.id());
                log.debug("tx {} from {} rejected: {}", tx.id().shortHex(), session, invalid.getMessage());
            }
            case RETRY -> {
                log.debug("tx {} from {} not accepted yet: {}", tx.id().shortHex(), session, invalid.getMessage());
                if (invalid.rule() == Rule.UNKNOWN_NAME && peer != null && ++peer.unknownNamesInARow % UNKNOWN_NAMES_IN_A_ROW == 0) {
                    scores.penalize(session, Misbehaviour.SPAM, peer.unknownNamesInARow + " transactions of unknown names in a row");
                }
            }
        }
    }

    /** The peers that announced {@code id} meanwhile become its announcers again (the rejected copy's sender is not among them). */
    private void refetchFromOthers(TxId id, Set<Session> others) {
        if (others == null || others.isEmpty() || isKnownLocally(id)) {
            return;
        }
        for (Session other : others) {
            if (peers.containsKey(other)) {
                tracker.receivedInv(other, id);
            }
        }
        pumpAll();
    }

    private void noteIncluded(TxId id) {
        recentlyIncluded.add(id);
        forget(id);
    }

    private void noteConflicting(TxId id) {
        rejected.add(id);
        forget(id);
    }

    /** Neither fetched nor announced any more. */
    private void forget(TxId id) {
        tracker.forgetTxId(id);
        for (PeerState peer : peers.values()) {
            peer.toAnnounce.remove(id);
        }
    }

    // ---- executor: serving

    /** Answers a {@code GetTxs} or a {@code get_tx_short_ids} with the bodies we hold, within the response budget. */
    private void serveTxs(Session session, Envelope request) {
        Optional<List<TxId>> requested = requestedIds(session, request);
        if (requested.isEmpty()) {
            return; // refused as a bad request
        }
        Txs.Builder txs = Txs.newBuilder();
        long bytes = 0;
        long budget = ResponseBudget.bytesFor(session);
        // A repeated id is served once: duplicates cannot multiply the answer.
        for (TxId id : new LinkedHashSet<>(requested.get())) {
            Optional<ChainTransaction> tx = chain.mempoolTransaction(id);
            long size = tx.map(t -> (long) t.serializedSize() + ResponseBudget.PER_ITEM_OVERHEAD).orElse(0L);
            if (tx.isEmpty() || bytes + size > budget) {
                continue; // missing ids mean "not found": the requester asks another announcer
            }
            bytes += size;
            txs.addTxs(tx.get().proto().toByteString());
            known.markKnown(session, id);
        }
        session.respond(request, Envelope.newBuilder().setTxs(txs).build());
    }

    /**
     * The ids {@code request} asks for, at most {@code maxTxsPerRequest}; short ids name what we
     * announced on this link, and one we no longer hold (or never did) is left out ("not found").
     * Empty after answering BAD_REQUEST for a malformed request.
     */
    private Optional<List<TxId>> requestedIds(Session session, Envelope request) {
        if (request.getBodyCase() == Envelope.BodyCase.GET_TX_SHORT_IDS) {
            Optional<long[]> shortIds = ShortTxIds.unpack(request.getGetTxShortIds(), ShortTxIds.LINK_BYTES);
            if (shortIds.isEmpty() || shortIds.get().length > config.maxTxsPerRequest()) {
                session.respondError(request, ErrorResponse.Code.BAD_REQUEST,
                        "at most " + config.maxTxsPerRequest() + " short ids of " + ShortTxIds.LINK_BYTES + " bytes");
                return Optional.empty();
            }
            Optional<ShortIdTable> table = Optional.ofNullable(peers.get(session)).flatMap(p -> p.shortIds);
            List<TxId> wanted = new ArrayList<>(shortIds.get().length);
            for (long sid : shortIds.get()) {
                table.flatMap(t -> t.resolve(sid)).ifPresent(wanted::add);
            }
            return Optional.of(wanted);
        }
        GetTxs get = request.getGetTxs();
        if (get.getTxIdsCount() > config.maxTxsPerRequest()) {
            session.respondError(request, ErrorResponse.Code.BAD_REQUEST, "at most " + config.maxTxsPerRequest() + " ids");
            return Optional.empty();
        }
        Optional<List<TxId>> ids = WireIds.txIds(get.getTxIdsList());
        if (ids.isEmpty()) {
            session.respondError(request, ErrorResponse.Code.BAD_REQUEST, "ids must be 32 bytes");
        }
        return ids;
    }

    private static long nowMillis() {
        return System.nanoTime() / 1_000_000;
    }

    // ---- tests

    /** Runs the tracker's and inventory's consistency checks on the executor (tests). */
    public java.util.concurrent.CompletableFuture<List<String>> sanityCheck() {
        java.util.concurrent.CompletableFuture<List<String>> result = new java.util.concurrent.CompletableFuture<>();
        executor.executeAlways(() -> {
            List<String> problems = new ArrayList<>(tracker.sanityCheck());
            problems.addAll(known.sanityCheck());
            problems.addAll(parked.sanityCheck());
            peers.values().forEach(p -> p.shortIds.ifPresent(t -> problems.addAll(t.sanityCheck())));
            result.complete(problems);
        });
        return result;
    }

    /** Ids held for {@code peer} (tracked announcements + known ids + queued announcements), on the executor (tests, metrics). */
    public java.util.concurrent.CompletableFuture<Long> idsHeldFor(org.protoblock.p2p.identity.NodeId peer) {
        java.util.concurrent.CompletableFuture<Long> result = new java.util.concurrent.CompletableFuture<>();
        executor.executeAlways(() -> result.complete(peers.values().stream().filter(p -> p.session.nodeId().equals(peer))
                .mapToLong(p -> (long) tracker.announcementCount(p.session) + known.knownCount(p.session) + p.toAnnounce.size()
                        + parked.count(p.session) + p.shortIds.map(ShortIdTable::size).orElse(0))
                .sum()));
        return result;
    }

    @Override
    public void close() {
        chain.unsubscribe(this);
        executor.close();
    }
}
