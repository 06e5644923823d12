package org.protoblock.p2p.gossip;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;
import org.protoblock.p2p.wire.proto.GetTxs;
import org.protoblock.p2p.wire.proto.Inventory;
import org.protoblock.p2p.wire.proto.Txs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transaction gossip (DESIGN.md "Transaction gossip"): only transactions our chain accepted are
 * relayed; their ids are announced ({@code Inventory{TX}}) to peers not known to have them, at
 * once on an idle link and in batches under load ({@link AnnouncePacer}); announced ids we lack are fetched ({@code GetTxs}) one announcer at a time through
 * the {@link TxRequestTracker}, with a timeout fallback to the next announcer; bodies go to
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
        /** Its transactions refused for an unknown name since the last one we accepted. */
        int unknownNamesInARow;

        PeerState(Session session, AnnouncePacer pacer) {
            this.session = session;
            this.pacer = pacer;
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
        chain.subscribe(this);
        executor.scheduleEvery(config.announceInterval(), config.announceInterval(), this::tick);
    }

    @Override
    public Set<Envelope.BodyCase> messageTypes() {
        return Set.of(Envelope.BodyCase.INVENTORY, Envelope.BodyCase.GET_TXS, Envelope.BodyCase.TXS);
    }

    // ---- peer events (event loops): hop onto the executor

    @Override
    public void connected(Session session, Hello remoteHello) {
        executor.executeAlways(() -> {
            peers.put(session, new PeerState(session,
                    new AnnouncePacer(config.announceInterval().toNanos(), config.announceBatch())));
            known.addPeer(session);
        });
    }

    @Override
    public void disconnected(Session session, DisconnectReason reason, boolean byUs) {
        executor.executeAlways(() -> {
            peers.remove(session);
            known.removePeer(session);
            tracker.disconnectedPeer(session);
            pumpAll();
        });
    }

    @Override
    public void message(Session session, Envelope envelope) {
        metrics.gossipBytesReceived.add(envelope.getSerializedSize());
        switch (envelope.getBodyCase()) {
            case INVENTORY -> onInventory(session, envelope.getInventory());
            case GET_TXS -> {
                if (envelope.getRequestId() == 0) {
                    scores.penalize(session, Misbehaviour.MALFORMED, "GetTxs without a request id");
                } else if (!executor.execute(() -> serveTxs(session, envelope))) {
                    session.respondError(envelope, ErrorResponse.Code.BUSY, "tx gossip busy");
                }
            }
            case TXS -> scores.penalize(session, Misbehaviour.UNSOLICITED, "Txs pushed without a request");
            default -> { }
        }
    }

    private void onInventory(Session session, Inventory inventory) {
        if (inventory.getKind() != Inventory.Kind.TX) {
            return; // blocks are announced with NewBlock
        }
        if (inventory.getIdsCount() > config.maxInventoryIds()) {
            scores.penalize(session, Misbehaviour.MALFORMED, "inventory of " + inventory.getIdsCount() + " ids");
            return;
        }
        Optional<List<TxId>> ids = WireIds.txIds(inventory.getIdsList());
        if (ids.isEmpty()) {
            scores.penalize(session, Misbehaviour.MALFORMED, "inventory id not 32 bytes");
            return;
        }
        metrics.announcementsReceived.add(ids.get().size());
        if (!executor.execute(() -> announced(session, ids.get()))) {
            log.debug("tx gossip busy: inventory from {} dropped", session);
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
        for (PeerState peer : peers.values()) {
            if (known.isKnown(peer.session, id)) {
                continue;
            }
            if (peer.toAnnounce.size() >= config.maxQueuedAnnouncements()) {
                continue; // the peer will get it from mempool sync or another neighbour
            }
            if (peer.toAnnounce.add(id)) {
                peer.pacer.queued(System.nanoTime());
                announceIfDue(peer);
            }
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
            Envelope inv = Envelope.newBuilder().setInventory(Inventory.newBuilder()
                    .setKind(Inventory.Kind.TX).addAllIds(WireIds.toWire(batch))).build();
            if (!peer.session.send(inv)) {
                log.debug("announcement of {} txs to {} dropped (queue full or closed)", batch.size(), peer.session);
                return;
            }
            batch.forEach(id -> known.markKnown(peer.session, id));
            metrics.announcementsSent.add(batch.size());
        }
    }

    private void tick() {
        List<TxRequestTracker.Expired<Session>> expired = tracker.expire(nowMillis());
        for (TxRequestTracker.Expired<Session> e : expired) {
            log.debug("GetTxs for {} timed out at {}", e.txId().shortHex(), e.peer());
        }
        pumpAll();
        peers.values().forEach(this::announceIfDue); // a safety net: announceIfDue schedules its own re-checks
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
            Set<Session> waiting = validating.get(id);
            if (waiting != null) {
                waiting.add(session);
            } else if (!isKnownLocally(id)) {
                tracker.receivedInv(session, id);
            }
        }
        pump(peer);
    }

    private boolean isKnownLocally(TxId id) {
        return chain.mempoolContains(id) || validating.containsKey(id) || rejected.contains(id)
                || recentlyIncluded.contains(id) || chain.isIncluded(id);
    }

    private void pumpAll() {
        peers.values().forEach(this::pump);
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
            peer.requestsInFlight++;
            Envelope request = Envelope.newBuilder().setGetTxs(GetTxs.newBuilder().addAllTxIds(WireIds.toWire(ids))).build();
            peer.session.request(request, config.txRequestTimeout()).whenComplete((response, error) ->
                    executor.executeAlways(() -> onTxs(peer, ids, response, error)));
        }
    }

    private void onTxs(PeerState peer, List<TxId> requestedIds, Envelope response, Throwable error) {
        peer.requestsInFlight--;
        Session session = peer.session;
        Set<TxId> outstanding = new LinkedHashSet<>(requestedIds);
        if (error == null && response.getBodyCase() != Envelope.BodyCase.TXS) {
            scores.penalize(session, Misbehaviour.MISMATCHED_RESPONSE, "GetTxs answered with " + response.getBodyCase());
        } else if (error == null) {
            metrics.gossipBytesReceived.add(response.getSerializedSize());
            receiveBodies(session, response.getTxs(), outstanding);
        } else {
            log.debug("GetTxs to {} failed: {}", session, error.toString());
        }
        // Not delivered (not found, timed out, refused): fall back to the next announcer.
        outstanding.forEach(id -> tracker.receivedResponse(session, id));
        if (peers.get(session) == peer) {
            pumpAll();
        }
    }

    private void receiveBodies(Session session, Txs txs, Set<TxId> outstanding) {
        if (txs.getTxsCount() > outstanding.size()) {
            scores.penalize(session, Misbehaviour.MISMATCHED_RESPONSE,
                    txs.getTxsCount() + " txs for " + outstanding.size() + " ids");
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
            if (!outstanding.remove(tx.id())) {
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
            if (isKnownLocally(tx.id())) {
                metrics.txBodiesDuplicate.increment();
                tracker.forgetTxId(tx.id());
                continue;
            }
            // We hold a body now: nobody else is asked for it unless this copy is rejected.
            Set<Session> others = new LinkedHashSet<>(tracker.pendingAnnouncers(tx.id()));
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

    private void serveTxs(Session session, Envelope request) {
        GetTxs get = request.getGetTxs();
        if (get.getTxIdsCount() > config.maxTxsPerRequest()) {
            session.respondError(request, ErrorResponse.Code.BAD_REQUEST, "at most " + config.maxTxsPerRequest() + " ids");
            return;
        }
        Optional<List<TxId>> ids = WireIds.txIds(get.getTxIdsList());
        if (ids.isEmpty()) {
            session.respondError(request, ErrorResponse.Code.BAD_REQUEST, "ids must be 32 bytes");
            return;
        }
        Txs.Builder txs = Txs.newBuilder();
        long bytes = 0;
        long budget = ResponseBudget.bytesFor(session);
        // A repeated id is served once: duplicates cannot multiply the answer.
        for (TxId id : new LinkedHashSet<>(ids.get())) {
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
            result.complete(problems);
        });
        return result;
    }

    /** Ids held for {@code peer} (tracked announcements + known ids + queued announcements), on the executor (tests, metrics). */
    public java.util.concurrent.CompletableFuture<Long> idsHeldFor(org.protoblock.p2p.identity.NodeId peer) {
        java.util.concurrent.CompletableFuture<Long> result = new java.util.concurrent.CompletableFuture<>();
        executor.executeAlways(() -> result.complete(peers.values().stream().filter(p -> p.session.nodeId().equals(peer))
                .mapToLong(p -> (long) tracker.announcementCount(p.session) + known.knownCount(p.session) + p.toAnnounce.size())
                .sum()));
        return result;
    }

    @Override
    public void close() {
        chain.unsubscribe(this);
        executor.close();
    }
}
