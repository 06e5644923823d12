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
import java.util.function.BooleanSupplier;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.protoblock.chain.service.ChainListener;
import org.protoblock.chain.store.BlockMeta;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.tree.BlockStatus;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.chain.validation.BlockValidator;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.p2p.chain.ChainAccess;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.peer.Misbehaviour;
import org.protoblock.p2p.peer.PeerScores;
import org.protoblock.p2p.protocol.Protocol;
import org.protoblock.p2p.session.RequestTimeoutException;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.wire.proto.BlockTxs;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;
import org.protoblock.p2p.wire.proto.GetBlockTxs;
import org.protoblock.p2p.wire.proto.GetBlocks;
import org.protoblock.p2p.wire.proto.NewBlock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Block gossip (DESIGN.md "Block gossip"): every block our chain accepted is announced as a
 * compact block ({@code NewBlock}: signed header + short ids under a nonce drawn per block) to the
 * peers not known to have it; an announced block is rebuilt from the transactions we hold (mempool
 * arrivals, recently included or removed), completed with the missing
 * transactions ({@code GetBlockTxs}) or, when most are missing or the rebuild fails, fetched whole
 * ({@code GetBlocks}, served by sync), then submitted to the chain. A block whose parent we lack
 * goes to the {@link HeadListener} (sync), which fetches the missing range.
 *
 * <p>Events, one per fact: a block that moved the main chain arrives once, in
 * {@link #onHeadChanged} (with the orphans it connected and the blocks of a reorg); a block stored
 * on a side branch once, in {@link #onBlockAccepted}. The future of our own submission only carries
 * its verdict for the peer that sent the block (orphan: ask sync; invalid: penalize or refetch).
 *
 * <p>Threads: all state below belongs to this protocol's {@link OwnedExecutor}; event loops and the
 * chain executor only hop onto it. Every request has a timeout; in-flight blocks are bounded.
 */
public final class BlockGossip implements Protocol, ChainListener {
    private static final Logger log = LoggerFactory.getLogger(BlockGossip.class);
    /** How often the end of a catch-up is looked for, to announce the head it reached. */
    private static final Duration CATCH_UP_CHECK = Duration.ofMillis(200);

    private final ChainAccess chain;
    private final PeerScores scores;
    private final P2pMetrics metrics;
    private final GossipConfig config;
    private final ChainCodec codec;
    private final BlockValidator validator;
    private final ChainLimits limits;
    private final HeadListener headListener;
    private final BooleanSupplier catchingUp;
    private final OwnedExecutor executor;

    // ---- executor-owned state
    private final Set<Session> peers = new HashSet<>();
    private final KnownInventory<Session, BlockId> known;
    private final RecentTransactions recentTxs;
    /** Blocks being completed or fetched, by id (at most maxBlocksInFlight, maxBlocksInFlightPerPeer per announcer). */
    private final Map<BlockId, Fetch> inFlight = new HashMap<>();
    /** A check for the end of a catch-up is scheduled (at most one). */
    private boolean catchUpCheckPending;
    /** Draws each announcement's short id nonce: unpredictable, so nobody grinds collisions for it. */
    private final SecureRandom nonces = new SecureRandom();

    /**
     * A block being completed or fetched: from whom now, who announced it first and with which ids,
     * and who else announced it meanwhile (asked in turn when the current source fails).
     */
    private static final class Fetch {
        Session from;
        final Session announcer;
        /** What the announcer sent (empty for a fetch that no announcement started). */
        final Optional<CompactBlock> announced;
        final Set<Session> others = new LinkedHashSet<>();

        Fetch(Session announcer, Optional<CompactBlock> announced) {
            this.from = announcer;
            this.announcer = announcer;
            this.announced = announced;
        }
    }

    /**
     * @param sync       where unconnectable announcements go
     * @param catchingUp true while this node syncs a range of blocks: it announces none of them.
     *                   Rationale: a syncing node's peers compare heads with it on their own, and
     *                   announcing each of thousands of synced blocks cost a quarter of sync
     *                   throughput from four peers. The head reached is announced once it ends,
     *                   so that peers behind us need not wait for their next poll.
     */
    public BlockGossip(ChainAccess chain, PeerScores scores, P2pMetrics metrics, GossipConfig config, HeadListener sync,
                       BooleanSupplier catchingUp) {
        this.catchingUp = catchingUp;
        this.chain = chain;
        this.scores = scores;
        this.metrics = metrics;
        this.config = config;
        this.limits = chain.network().limits();
        this.codec = new ChainCodec(limits);
        // The chain's cached verifier: the header signature checked here is not checked again when the block connects.
        this.validator = new BlockValidator(chain.network(), chain.clock(), chain.signatureVerifier());
        this.headListener = sync;
        // Bounded for announcements in and mempool removals (dropped when full: a peer announces
        // again); executeAlways for session lifecycle, chain events and our requests' answers.
        this.executor = new OwnedExecutor("block-gossip", config.executorQueue());
        this.known = new KnownInventory<>(config.knownBlocksPerPeer());
        this.recentTxs = new RecentTransactions(config.recentTxs());
        chain.subscribe(this);
    }

    @Override
    public Set<Envelope.BodyCase> messageTypes() {
        return Set.of(Envelope.BodyCase.NEW_BLOCK, Envelope.BodyCase.GET_BLOCK_TXS, Envelope.BodyCase.BLOCK_TXS);
    }

    // ---- peer events (event loops)

    @Override
    public void connected(Session session, Hello remoteHello) {
        executor.executeAlways(() -> {
            peers.add(session);
            known.addPeer(session);
        });
    }

    @Override
    public void disconnected(Session session, DisconnectReason reason, boolean byUs) {
        executor.executeAlways(() -> {
            peers.remove(session);
            known.removePeer(session);
        });
    }

    @Override
    public void message(Session session, Envelope envelope) {
        metrics.gossipBytesReceived.add(envelope.getSerializedSize());
        switch (envelope.getBodyCase()) {
            case NEW_BLOCK -> {
                if (!executor.execute(() -> onNewBlock(session, envelope))) {
                    log.debug("block gossip busy: announcement from {} dropped", session);
                }
            }
            case GET_BLOCK_TXS -> {
                if (envelope.getRequestId() == 0) {
                    scores.penalize(session, Misbehaviour.MALFORMED, "GetBlockTxs without a request id");
                } else if (!executor.execute(() -> serveBlockTxs(session, envelope))) {
                    session.respondError(envelope, ErrorResponse.Code.BUSY, "block gossip busy");
                }
            }
            case BLOCK_TXS -> scores.penalize(session, Misbehaviour.UNSOLICITED, "BlockTxs pushed without a request");
            default -> { }
        }
    }

    // ---- chain events (chain executor)

    /** A block stored on a side branch: relayed (a competing tip). Blocks on the main chain come with {@link #onHeadChanged}. */
    @Override
    public void onBlockAccepted(ChainBlock block, AddOutcome outcome) {
        if (outcome.status() != BlockStatus.SIDE_BRANCH) {
            return;
        }
        boolean quiet = catchingUp.getAsBoolean();
        executor.executeAlways(() -> {
            block.transactions().forEach(recentTxs::add);
            if (!quiet) {
                announce(block);
            }
        });
    }

    /** Blocks that joined the main chain: their transactions kept for rebuilds, the newest announced. */
    @Override
    public void onHeadChanged(AddOutcome outcome) {
        boolean quiet = catchingUp.getAsBoolean();
        List<ChainBlock> connected = outcome.connected();
        List<ChainBlock> newest = connected.subList(Math.max(0, connected.size() - config.maxAnnouncedBlocks()), connected.size());
        executor.executeAlways(() -> {
            connected.forEach(block -> block.transactions().forEach(recentTxs::add));
            if (quiet) {
                checkCatchUpLater();
            } else {
                newest.forEach(this::announce);
            }
        });
    }

    /** A transaction entered the mempool: kept to match the short ids of the blocks that include it. */
    @Override
    public void onTransactionAccepted(ChainTransaction tx) {
        executor.execute(() -> recentTxs.add(tx)); // dropped when busy: then fetched by position
    }

    /** Transactions that left the mempool unincluded (included ones came with their block). */
    @Override
    public void onTransactionsRemoved(List<ChainTransaction> txs, RemovalReason reason) {
        if (reason != RemovalReason.INCLUDED) {
            executor.execute(() -> txs.forEach(recentTxs::add));
        }
    }

    // ---- executor: announcing

    private void checkCatchUpLater() {
        if (!catchUpCheckPending) {
            catchUpCheckPending = executor.schedule(CATCH_UP_CHECK, this::announceIfCaughtUp).isPresent();
        }
    }

    /** Announces our head once catching up has ended (peers that know it are skipped). */
    private void announceIfCaughtUp() {
        catchUpCheckPending = false;
        if (catchingUp.getAsBoolean()) {
            checkCatchUpLater();
            return;
        }
        chain.block(chain.head().id()).ifPresent(this::announce);
    }

    private void announce(ChainBlock block) {
        Envelope message = null;
        for (Session peer : known.peersLacking(block.id())) {
            if (message == null) {
                message = Envelope.newBuilder().setNewBlock(CompactBlock.of(block, nonces.nextLong()).toMessage()).build();
            }
            if (peer.send(message)) {
                known.markKnown(peer, block.id());
                metrics.announcementsSent.increment();
            }
        }
    }

    // ---- executor: announcements in

    private void onNewBlock(Session session, Envelope envelope) {
        if (!peers.contains(session)) {
            return;
        }
        if (alreadyHeld(session, envelope.getNewBlock())) {
            return;
        }
        CompactBlock compact;
        try {
            compact = CompactBlock.parse(envelope.getNewBlock(), codec, limits);
        } catch (ValidationException e) {
            scores.penalize(session, Misbehaviour.INVALID_BLOCK, "NewBlock: " + e.getMessage());
            return;
        }
        metrics.announcementsReceived.increment();
        known.markKnown(session, compact.id());
        compact.parentId().ifPresent(parent -> known.markKnown(session, parent));
        if (chain.isStopped()) {
            return; // a stopped chain takes no blocks: not fetched
        }
        // Neither stored nor in flight: alreadyHeld hashed the same header bytes, which parse found canonical.
        Optional<BlockMeta> parent = chain.blockMeta(compact.parentId().orElseThrow());
        if (parent.isEmpty()) {
            headListener.onPeerHead(session, new ChainHead(compact.id(), compact.num()));
            return;
        }
        if (!headerValid(session, compact, parent.get())) {
            return;
        }
        if (inFlight.size() >= config.maxBlocksInFlight()) {
            log.debug("{} blocks in flight: announcement of {} from {} dropped", inFlight.size(), compact.id().shortHex(), session);
            return;
        }
        long fromPeer = inFlight.values().stream().filter(f -> f.from == session).count();
        if (fromPeer >= config.maxBlocksInFlightPerPeer()) {
            log.debug("{} blocks in flight from {}: announcement of {} dropped", fromPeer, session, compact.id().shortHex());
            return;
        }
        inFlight.put(compact.id(), new Fetch(session, Optional.of(compact)));
        BlockRebuild rebuild = BlockRebuild.start(compact, recentTxs.all());
        List<Integer> missing = rebuild.missingIndexes();
        if (missing.isEmpty()) {
            complete(session, rebuild);
        } else if (missing.size() * 2 <= rebuild.size()) {
            requestMissing(session, rebuild, missing);
        } else {
            fetchBlock(session, compact.id());
        }
    }

    /**
     * The duplicate announcement test, before any decoding: most of a node's peers announce each
     * block, and all but the first announcement find it stored or in flight. Rationale: the header
     * field's hash is the block id ({@link CompactBlock#announcedId}), so this costs one SHA-256 of
     * the header bytes instead of a header decode and a canonical re-encode per duplicate; the
     * sender is recorded as knowing the block (not announced to it) and as a fallback source.
     */
    private boolean alreadyHeld(Session session, NewBlock message) {
        Optional<BlockId> id = CompactBlock.announcedId(message);
        if (id.isEmpty()) {
            return false;
        }
        Fetch fetching = inFlight.get(id.get());
        if (fetching == null && !chain.hasBlock(id.get())) {
            return false;
        }
        metrics.announcementsReceived.increment();
        known.markKnown(session, id.get());
        if (fetching != null && fetching.from != session) {
            fetching.others.add(session); // at most every peer; asked if the current source fails
        }
        return true;
    }

    /**
     * The header rules (producer signature included) before anything is fetched for it. Rationale:
     * anyone can check them, so a failure is the announcer's fault, and a header nobody signed must
     * not cost us requests or an in-flight slot. A timestamp ahead of our clock is not scored
     * (clocks differ); sync gets the block once it is due.
     */
    private boolean headerValid(Session session, CompactBlock compact, BlockMeta parent) {
        try {
            validator.validateHeader(compact.signedHeader(), new ChainHead(parent.id(), parent.num()),
                    Integer.toUnsignedLong(parent.timestamp()));
            return true;
        } catch (ValidationException e) {
            if (e.rule() == Rule.TIMESTAMP_IN_FUTURE) {
                log.debug("NewBlock {} from {}: {}", compact.id().shortHex(), session, e.getMessage());
            } else {
                scores.penalize(session, Misbehaviour.INVALID_BLOCK, "NewBlock header: " + e.getMessage());
            }
            return false;
        }
    }

    private void requestMissing(Session session, BlockRebuild rebuild, List<Integer> missing) {
        BlockId id = rebuild.compact().id();
        Envelope request = Envelope.newBuilder().setGetBlockTxs(GetBlockTxs.newBuilder()
                .setBlockId(ByteString.copyFrom(id.toBytes())).addAllIndexes(missing)).build();
        session.request(request, config.blockRequestTimeout()).whenComplete((response, error) ->
                executor.executeAlways(() -> onBlockTxs(session, rebuild, missing, response, error)));
    }

    private void onBlockTxs(Session session, BlockRebuild rebuild, List<Integer> missing, Envelope response, Throwable error) {
        BlockId id = rebuild.compact().id();
        if (error != null) {
            log.debug("GetBlockTxs {} to {} failed: {}", id.shortHex(), session, error.toString());
            if (stalled(session, id, error)) {
                tryNextAnnouncer(id);
            } else {
                fetchBlock(session, id);
            }
            return;
        }
        metrics.gossipBytesReceived.add(response.getSerializedSize());
        BlockTxs answer = response.getBlockTxs();
        if (response.getBodyCase() != Envelope.BodyCase.BLOCK_TXS || answer.getTxsCount() != missing.size()
                || !answer.getBlockId().equals(ByteString.copyFrom(id.toBytes()))) {
            scores.penalize(session, Misbehaviour.MISMATCHED_RESPONSE, "GetBlockTxs " + id.shortHex() + " answered with "
                    + response.getBodyCase() + " of " + answer.getTxsCount() + " txs for " + missing.size());
            fetchBlock(session, id);
            return;
        }
        List<ChainTransaction> txs = new ArrayList<>(missing.size());
        for (ByteString body : answer.getTxsList()) {
            metrics.txBodiesReceived.increment();
            metrics.bodyBytesReceived.add(body.size());
            try {
                txs.add(codec.parseTransaction(body.toByteArray()));
            } catch (ValidationException e) {
                scores.penalize(session, Misbehaviour.MALFORMED, "BlockTxs " + id.shortHex() + ": " + e.getMessage());
                fetchBlock(session, id);
                return;
            }
        }
        if (!rebuild.fill(missing, txs)) {
            scores.penalize(session, Misbehaviour.MISMATCHED_RESPONSE, "BlockTxs " + id.shortHex() + " holds other transactions");
            fetchBlock(session, id);
            return;
        }
        complete(session, rebuild);
    }

    private void complete(Session session, BlockRebuild rebuild) {
        Optional<ChainBlock> block = rebuild.build();
        if (block.isEmpty()) {
            log.info("Rebuilt block {} does not match its header's root; fetching it whole", rebuild.compact().id().shortHex());
            fetchBlock(session, rebuild.compact().id());
            return;
        }
        submit(session, block.get(), true);
    }

    // ---- executor: whole blocks (GetBlocks, served by sync)

    /** Fetches block {@code id} whole from {@code session} (once: a fetch already in flight is not repeated). */
    private void fetchBlock(Session session, BlockId id) {
        Fetch fetch = inFlight.get(id);
        if (fetch == null) {
            if (inFlight.size() >= config.maxBlocksInFlight()) {
                log.debug("not fetching {} from {} ({} in flight)", id.shortHex(), session, inFlight.size());
                return;
            }
            fetch = new Fetch(session, Optional.empty());
            inFlight.put(id, fetch);
        }
        fetch.from = session;
        Envelope request = Envelope.newBuilder().setGetBlocks(GetBlocks.newBuilder()
                .addBlockIds(ByteString.copyFrom(id.toBytes()))).build();
        session.request(request, config.blockRequestTimeout()).whenComplete((response, error) ->
                executor.executeAlways(() -> onBlocks(session, id, response, error)));
    }

    private void onBlocks(Session session, BlockId id, Envelope response, Throwable error) {
        if (error != null || response.getBodyCase() != Envelope.BodyCase.BLOCKS || response.getBlocks().getBlocksCount() < 1) {
            log.debug("GetBlocks {} to {} failed: {}", id.shortHex(), session,
                    error != null ? error.toString() : response.getBodyCase().toString());
            if (error != null) {
                stalled(session, id, error);
            }
            tryNextAnnouncer(id);
            return;
        }
        ByteString bytes = response.getBlocks().getBlocks(0);
        metrics.gossipBytesReceived.add(response.getSerializedSize());
        metrics.blocksReceived.increment();
        metrics.bodyBytesReceived.add(bytes.size());
        ChainBlock block;
        try {
            block = codec.parseBlock(bytes.toByteArray());
        } catch (ValidationException e) {
            scores.penalize(session, Misbehaviour.INVALID_BLOCK, "block " + id.shortHex() + ": " + e.getMessage());
            tryNextAnnouncer(id);
            return;
        }
        if (!block.id().equals(id)) {
            scores.penalize(session, Misbehaviour.MISMATCHED_RESPONSE, "asked block " + id.shortHex() + ", got " + block.id().shortHex());
            tryNextAnnouncer(id);
            return;
        }
        if (chain.hasBlock(id)) {
            metrics.blocksDuplicate.increment();
        }
        submit(session, block, false);
    }

    /** Hands the block to the chain; accepted blocks come back as chain events, the verdict for its sender here. */
    private void submit(Session session, ChainBlock block, boolean rebuilt) {
        chain.submitBlock(block).whenComplete((outcome, error) ->
                executor.executeAlways(() -> onSubmitted(session, block, rebuilt, outcome, error)));
    }

    /** A request to {@code session} timed out: it announced and stalls (scored). False for other failures. */
    private boolean stalled(Session session, BlockId id, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (!(cause instanceof RequestTimeoutException)) {
            return false;
        }
        scores.penalize(session, Misbehaviour.STALLING, "block " + id.shortHex() + " not served in " + config.blockRequestTimeout());
        return true;
    }

    /** The current source of {@code id} failed: the next announcer still connected is asked for it whole, or the fetch ends. */
    private void tryNextAnnouncer(BlockId id) {
        Fetch fetch = inFlight.get(id);
        if (fetch == null) {
            return;
        }
        Optional<ChainBlock> stored = chain.block(id); // sync may have brought it meanwhile
        if (stored.isPresent()) {
            inFlight.remove(id);
            checkAnnouncedIds(fetch, stored.get());
            return;
        }
        Iterator<Session> next = fetch.others.iterator();
        while (next.hasNext()) {
            Session peer = next.next();
            next.remove();
            if (peers.contains(peer)) {
                fetchBlock(peer, id);
                return;
            }
        }
        inFlight.remove(id);
    }

    /**
     * Binds the announced short ids to the block: nothing checks them before (a rebuild that misses
     * the header's root may be an honest collision with one of our transactions), so a valid block
     * whose transactions' short ids under the announcement's key are not those announced convicts
     * the announcer.
     */
    private void checkAnnouncedIds(Fetch fetch, ChainBlock block) {
        if (fetch.announced.isPresent() && !fetch.announced.get().describes(block)) {
            scores.penalize(fetch.announcer, Misbehaviour.INVALID_BLOCK, "NewBlock " + block.id().shortHex() + " announced "
                    + fetch.announced.get().size() + " short ids not those of its " + block.txIds().size() + " transactions");
        }
    }

    private void onSubmitted(Session session, ChainBlock block, boolean rebuilt, AddOutcome outcome, Throwable error) {
        Fetch fetch = inFlight.remove(block.id());
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            log.debug("block {} from {} not submitted: {}", block, session, cause.toString());
            return;
        }
        BlockStatus status = outcome.status();
        boolean stored = status == BlockStatus.CONNECTED || status == BlockStatus.SIDE_BRANCH;
        if (rebuilt && stored) {
            metrics.compactBlocksRebuilt.increment();
        }
        if (fetch != null && stored) {
            checkAnnouncedIds(fetch, block);
        }
        switch (status) {
            case ORPHAN -> headListener.onPeerHead(session, block.asHead());
            case INVALID -> {
                String why = outcome.error().map(ValidationException::getMessage).orElse("invalid");
                if (rebuilt) {
                    log.info("Rebuilt block {} from {} invalid ({}); fetching it whole", block, session, why);
                    if (fetch != null) {
                        inFlight.put(block.id(), fetch);
                    }
                    fetchBlock(session, block.id());
                } else {
                    scores.penalize(session, Misbehaviour.INVALID_BLOCK, block + ": " + why);
                }
            }
            default -> { }
        }
    }

    // ---- executor: serving

    /**
     * Rules: indexes strictly ascending (what {@link #requestMissing} sends; a repeat is malformed and
     * scored), and the answer's bytes are counted before anything is built: over
     * {@link ResponseBudget} the request is refused (the requester then fetches the block whole).
     * Rationale: 10,000 × index 0 of a large transaction once built hundreds of MB before the
     * envelope limit refused them.
     */
    private void serveBlockTxs(Session session, Envelope request) {
        GetBlockTxs get = request.getGetBlockTxs();
        if (get.getBlockId().size() != 32 || get.getIndexesCount() > limits.maxTransactionsPerBlock()) {
            session.respondError(request, ErrorResponse.Code.BAD_REQUEST, "bad block id or too many indexes");
            return;
        }
        for (int i = 1; i < get.getIndexesCount(); i++) {
            if (Integer.compareUnsigned(get.getIndexes(i - 1), get.getIndexes(i)) >= 0) {
                scores.penalize(session, Misbehaviour.MALFORMED, "GetBlockTxs indexes not strictly ascending");
                session.respondError(request, ErrorResponse.Code.BAD_REQUEST, "indexes must be strictly ascending");
                return;
            }
        }
        BlockId id = BlockId.wrap(get.getBlockId().toByteArray());
        Optional<ChainBlock> block = chain.block(id);
        if (block.isEmpty()) {
            session.respondError(request, ErrorResponse.Code.NOT_FOUND, "no block " + id.shortHex());
            return;
        }
        known.markKnown(session, id);
        List<ChainTransaction> txs = block.get().transactions();
        long bytes = 0;
        long budget = ResponseBudget.bytesFor(session);
        for (int index : get.getIndexesList()) {
            if (index < 0 || index >= txs.size()) {
                session.respondError(request, ErrorResponse.Code.BAD_REQUEST, "index " + index + " of " + txs.size());
                return;
            }
            bytes += txs.get(index).serializedSize() + ResponseBudget.PER_ITEM_OVERHEAD;
            if (bytes > budget) {
                session.respondError(request, ErrorResponse.Code.BAD_REQUEST, "answer over " + budget + " bytes: fetch the block");
                return;
            }
        }
        BlockTxs.Builder answer = BlockTxs.newBuilder().setBlockId(get.getBlockId());
        get.getIndexesList().forEach(index -> answer.addTxs(txs.get(index).proto().toByteString()));
        session.respond(request, Envelope.newBuilder().setBlockTxs(answer).build());
    }

    @Override
    public void close() {
        chain.unsubscribe(this);
        executor.close();
    }
}
