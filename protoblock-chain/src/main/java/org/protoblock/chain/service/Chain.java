package org.protoblock.chain.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.protoblock.chain.crypto.SignatureVerifier;
import org.protoblock.chain.mempool.Mempool;
import org.protoblock.chain.producer.Producer;
import org.protoblock.chain.store.BlockMeta;
import org.protoblock.chain.store.ChainStore;
import org.protoblock.chain.store.Column;
import org.protoblock.chain.store.Keys;
import org.protoblock.chain.store.MempoolEntry;
import org.protoblock.chain.store.NameEntry;
import org.protoblock.chain.store.StoreBatch;
import org.protoblock.chain.store.StoreException;
import org.protoblock.chain.store.StoredHeaders;
import org.protoblock.chain.store.TxLocation;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.tree.BlockStatus;
import org.protoblock.chain.tree.BlockTree;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.TxId;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.chain.validation.StoreChainState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain as the rest of the node sees it: reads from any thread, writes through the chain
 * executor, events to {@link ChainListener}s.
 *
 * <p>Threads: the chain executor ({@link OwnedExecutor} "chain-executor") owns the
 * {@link BlockTree}, the {@link Mempool}, the producer and every store write of chain state, and
 * runs the timed work (block production, mempool expiry) itself. Its queue is bounded
 * ({@link ChainConfig#maxQueuedTasks}); a submission beyond it fails fast with
 * {@link RejectedExecutionException} rather than queueing without limit. Reads (head, blocks,
 * locator, mempool lookups by id) go to the store or to concurrent mirrors and never wait for the
 * executor. "chain-store-sync" only syncs the store's log, so an fsync never stalls the chain
 * executor; "chain-preverify" checks the signatures of block batches before they queue here.
 * "chain-txverify" checks each submitted transaction against the main-chain state first
 * (signature included, {@link ChainChecks#precheckTransaction}), in submission order, so a
 * transaction with a bad signature never takes a chain executor slot. Transactions that passed
 * may hold at most half of the chain executor's queue ({@code queuedTransactions}, counted by
 * submitters, freed when the task ends): the other half is always there for blocks, so
 * transaction load never gets a block refused.
 *
 * <p>A failed store write (a {@link StoreException}: full disk, I/O error) stops the chain: that
 * call fails with it, and every later write (blocks, transactions, production, timers) fails with
 * {@link ChainStoppedException} without touching the store. Rationale: each batch is atomic, so
 * the store holds a consistent chain up to the last batch written, which a restart resumes from;
 * going on with memory that may be ahead of the store (a mempool entry, a half-done reorg) would
 * let the two drift apart. Reads keep working.
 */
public final class Chain implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Chain.class);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    /** Batches waiting for pre-verification (each a sync batch of blocks). */
    private static final int PREVERIFY_QUEUE = 64;
    /** Pre-verification is an optimisation: at close, what is running gets a moment, the rest is dropped. */
    private static final Duration PREVERIFY_GRACE = Duration.ofSeconds(1);
    private static final Duration SYNC_INTERVAL = Duration.ofSeconds(1);
    private static final Duration EXPIRY_INTERVAL = Duration.ofSeconds(60);

    private final ChainConfig config;
    private final ChainStore store;
    private final ChainChecks checks;
    private final BlockTree tree;
    private final Mempool mempool;
    private final Optional<Producer> producer;
    private final OwnedExecutor executor;
    /** Syncs the store's log once a second; its one periodic task is all it ever queues. */
    private final OwnedExecutor storeSync;
    /** Coordinates parallel pre-verification of block batches, off the chain executor and callers' threads. */
    private final OwnedExecutor preverifier;
    /** Checks submitted transactions (signatures first) before they queue on the chain executor; in order. */
    private final OwnedExecutor txVerifier;
    /** Transactions queued on or running on the chain executor: at most {@code maxQueuedTransactions}. */
    private final AtomicInteger queuedTransactions = new AtomicInteger();
    private final int maxQueuedTransactions;
    private final List<ChainListener> listeners = new CopyOnWriteArrayList<>();
    /** Read-side mirror of the mempool, written only by the chain executor. */
    private final Map<TxId, ChainTransaction> mempoolMirror = new ConcurrentHashMap<>();
    private final AtomicLong mempoolBytes = new AtomicLong();
    private final AtomicInteger blocksProduced = new AtomicInteger();
    /** The first failed store write; once set, the chain takes no more writes. Written by the chain executor. */
    private volatile Optional<StoreException> storeFailure = Optional.empty();

    private Chain(ChainConfig config, ChainStore store, ChainChecks checks, BlockTree tree) {
        this.config = config;
        this.store = store;
        this.checks = checks;
        this.tree = tree;
        this.mempool = new Mempool(config.mempoolMaxCount(), config.mempoolMaxBytes(), checks::checkPending,
                new StoreChainState(store));
        this.producer = config.producerKey()
                .filter(key -> config.network().isProducer(key.publicKey()))
                .map(key -> new Producer(key, config.network().limits().maxTransactionsPerBlock(),
                        config.network().limits().maxBlockBytes()));
        this.executor = new OwnedExecutor("chain-executor", config.maxQueuedTasks());
        this.storeSync = new OwnedExecutor("chain-store-sync", 1);
        this.preverifier = new OwnedExecutor("chain-preverify", PREVERIFY_QUEUE);
        this.txVerifier = new OwnedExecutor("chain-txverify", config.maxQueuedTasks());
        this.maxQueuedTransactions = Math.max(1, config.maxQueuedTasks() / 2);
    }

    /** Opens the chain over a store (writing the genesis into an empty one) and restores the mempool. */
    public static Chain open(ChainConfig config, ChainStore store) throws ValidationException {
        int backfilled = StoredHeaders.backfill(store, config.network().genesis().id());
        if (backfilled > 0) {
            log.info("Stored the headers of {} blocks apart from their bodies (once, after an upgrade)", backfilled);
        }
        ChainChecks checks = new ChainChecks(config.network(), config.clock(), new StoreChainState(store));
        BlockTree tree = BlockTree.open(store, config.network().genesis(), checks, config.maxOrphans(),
                config.maxOrphanBytes());
        Chain chain = new Chain(config, store, checks, tree);
        chain.restoreMempool();
        chain.startTimers();
        if (config.producerKey().isPresent() && chain.producer.isEmpty()) {
            log.warn("Producer key {} is not a producer of network {}: not producing",
                    config.producerKey().get().publicKey().toBase58(), config.network().name());
        }
        log.info("Chain {} open at head {}, mempool {} txs", config.network().name(), tree.head(), chain.mempool.size());
        return chain;
    }

    private void restoreMempool() {
        List<MempoolEntry> persisted = store.mempool();
        if (persisted.isEmpty()) {
            return;
        }
        List<ChainTransaction> txs = persisted.stream().map(e -> ChainTransaction.of(e.transaction())).toList();
        List<ChainTransaction> dropped = mempool.restore(txs, persisted.stream().map(MempoolEntry::arrivalSeq).toList(),
                nowSeconds());
        StoreBatch batch = store.newBatch();
        dropped.forEach(tx -> batch.deleteMempoolTx(tx.id()));
        if (!batch.isEmpty()) {
            store.write(batch);
        }
        mempool.transactions().forEach(this::mirrorAdd);
    }

    /** Fixed-delay timers: a slow run delays the next one instead of piling runs up in the queue. */
    private void startTimers() {
        producer.ifPresent(p -> executor.scheduleEvery(config.producerInterval(), config.producerInterval(),
                () -> timer(this::produceIfDue)));
        executor.scheduleEvery(EXPIRY_INTERVAL, EXPIRY_INTERVAL, () -> timer(this::expireMempool));
        storeSync.scheduleEvery(SYNC_INTERVAL, SYNC_INTERVAL, this::syncStore);
    }

    // ---- reads: any thread ----

    public ChainConfig config() {
        return config;
    }

    public ChainHead head() {
        return tree.head();
    }

    public BlockId genesisId() {
        return tree.genesisId();
    }

    public boolean isProducer() {
        return producer.isPresent();
    }

    public Optional<ChainBlock> block(BlockId id) {
        return store.block(id);
    }

    public boolean hasBlock(BlockId id) {
        return store.containsBlock(id);
    }

    public Optional<BlockMeta> blockMeta(BlockId id) {
        return store.blockMeta(id);
    }

    /** A stored block's bytes as stored (a serialized {@code Block}): for serving it without re-encoding. */
    public Optional<byte[]> serializedBlock(BlockId id) {
        return store.get(Column.BLOCKS, Keys.id(id));
    }

    /**
     * A stored block's serialized {@code SignedBlockHeader}, without reading its body. Blocks stored
     * before the headers column existed fall back to cutting the header out of the stored block.
     */
    public Optional<byte[]> serializedHeader(BlockId id) {
        return store.get(Column.HEADERS, Keys.id(id)).or(() -> serializedBlock(id).flatMap(StoredHeaders::cutFrom));
    }

    /** Where a main-chain transaction was included (the transaction index). */
    public Optional<TxLocation> txLocation(TxId id) {
        return store.txLocation(id);
    }

    public Optional<BlockId> mainChainId(int num) {
        return store.mainChainId(num);
    }

    public Optional<ChainBlock> blockAt(int num) {
        return store.mainChainId(num).flatMap(store::block);
    }

    /**
     * Main-chain ids from the head back: the 10 most recent, then at doubling distances, always
     * ending with the genesis. A peer finds our fork point from it in O(log n) ids.
     */
    public List<BlockId> locator() {
        ChainHead head = tree.head();
        List<BlockId> ids = new ArrayList<>();
        long step = 1;
        long num = head.num();
        while (num > 0) {
            store.mainChainId((int) num).ifPresent(ids::add);
            if (ids.size() >= 10) {
                step *= 2;
            }
            num -= step;
        }
        ids.add(tree.genesisId());
        return ids;
    }

    /**
     * The highest locator entry on our main chain: where a peer that sent {@code locator} forks
     * from us (the genesis when nothing else matches).
     */
    public ChainHead forkPoint(List<BlockId> locator) {
        for (BlockId id : locator) {
            Optional<BlockMeta> meta = store.blockMeta(id);
            if (meta.isPresent() && store.mainChainId(meta.get().num()).filter(id::equals).isPresent()) {
                return new ChainHead(id, meta.get().num());
            }
        }
        return new ChainHead(tree.genesisId(), 0);
    }

    public Optional<ChainTransaction> mempoolTransaction(TxId id) {
        return Optional.ofNullable(mempoolMirror.get(id));
    }

    public boolean mempoolContains(TxId id) {
        return mempoolMirror.containsKey(id);
    }

    public int mempoolSize() {
        return mempoolMirror.size();
    }

    public long mempoolBytes() {
        return mempoolBytes.get();
    }

    public int blocksProduced() {
        return blocksProduced.get();
    }

    public long storeSizeBytes() {
        return store.approximateSizeBytes();
    }

    public ChainStore store() {
        return store;
    }

    /** The store write that stopped the chain, if one failed (see the class comment). */
    public Optional<StoreException> storeFailure() {
        return storeFailure;
    }

    public void addListener(ChainListener listener) {
        listeners.add(listener);
    }

    public void removeListener(ChainListener listener) {
        listeners.remove(listener);
    }

    // ---- writes: through the chain executor ----

    /** The tips of every branch the tree keeps, best first, with their distance from the main chain. */
    public CompletableFuture<List<ChainTip>> chainTips() {
        return call(() -> tree.tips().stream().map(this::tipOf).toList());
    }

    private ChainTip tipOf(BlockMeta tip) {
        BlockMeta cursor = tip;
        while (cursor.num() > 0 && store.mainChainId(cursor.num()).filter(cursor.id()::equals).isEmpty()) {
            cursor = tree.meta(cursor.parentId()).orElseThrow();
        }
        return new ChainTip(tip.id(), tip.num(), tip.num() - cursor.num(), tip.id().equals(tree.head().id()));
    }

    /** Mempool ids in arrival order. */
    public CompletableFuture<List<TxId>> mempoolIds() {
        return call(mempool::ids);
    }

    /** Mempool transactions in arrival order. */
    public CompletableFuture<List<ChainTransaction>> mempoolTransactions() {
        return call(mempool::transactions);
    }

    /**
     * The verifier the chain checks signatures with (cached): header checks done elsewhere through
     * it (headers-first sync) are not repeated when the block connects. Thread-safe.
     */
    public SignatureVerifier signatureVerifier() {
        return checks.signatureVerifier();
    }

    public CompletableFuture<AddOutcome> submitBlock(ChainBlock block) {
        return call(() -> addBlock(block));
    }

    /**
     * Adds blocks in order. Their signatures are verified first on all cores, so the sequential
     * pass on the chain executor finds them in the verification cache.
     */
    public CompletableFuture<List<AddOutcome>> submitBlocks(List<ChainBlock> blocks) {
        CompletableFuture<List<ChainBlock>> verified = preverifier.supply(() -> {
            checks.preverify(blocks);
            return blocks;
        });
        return verified.thenCompose(ready -> call(() -> ready.stream().map(this::addBlock).toList()));
    }

    /**
     * Validates and adds to the mempool; completes exceptionally with a {@link ValidationException}
     * (a bad signature is found on "chain-txverify", without the chain executor), or with
     * {@link RejectedExecutionException} when transactions already hold their share of the queue.
     */
    public CompletableFuture<TxId> submitTransaction(ChainTransaction tx) {
        return txVerifier.supply(() -> {
            if (storeFailure.isPresent()) {
                throw new ChainStoppedException(storeFailure.get()); // no signature work for a stopped chain
            }
            checks.precheckTransaction(tx, nowSeconds());
            return tx;
        }).thenCompose(this::admitTransaction);
    }

    /** Runs on chain-txverify after the precheck passed: takes one of the transactions' chain executor slots. */
    private CompletableFuture<TxId> admitTransaction(ChainTransaction tx) {
        if (queuedTransactions.incrementAndGet() > maxQueuedTransactions) {
            queuedTransactions.decrementAndGet();
            return CompletableFuture.failedFuture(new RejectedExecutionException("chain: transaction queue full"));
        }
        CompletableFuture<TxId> added = call(() -> {
            Mempool.Entry entry;
            try {
                entry = mempool.add(tx, nowSeconds());
            } catch (ValidationException e) {
                throw new CompletionException(e);
            }
            store.write(store.newBatch().putMempoolTx(tx, entry.arrivalSeq()));
            mirrorAdd(tx);
            listeners.forEach(l -> l.onTransactionAccepted(tx));
            if (producer.isPresent() && mempool.size() >= config.produceAtTxCount()) {
                produce();
            }
            return tx.id();
        });
        added.whenComplete((id, failure) -> queuedTransactions.decrementAndGet());
        return added;
    }

    /** Makes a block now if this node is a producer (even with an empty mempool). */
    public CompletableFuture<Optional<AddOutcome>> produceNow() {
        return call(this::produce);
    }

    private void produceIfDue() {
        if (mempool.size() > 0 || config.produceEmptyBlocks()) {
            produce();
        }
    }

    private Optional<AddOutcome> produce() {
        if (producer.isEmpty()) {
            return Optional.empty();
        }
        BlockMeta parent = tree.meta(tree.head().id()).orElseThrow();
        List<ChainTransaction> txs = producer.get().select(mempool.transactions());
        ChainBlock block = producer.get().produce(parent, txs, nowSeconds());
        AddOutcome outcome = addBlock(block);
        if (outcome.status() == BlockStatus.CONNECTED) {
            blocksProduced.incrementAndGet();
            log.debug("Produced {}", block);
        } else {
            log.warn("Own block {} was not connected: {} {}", block, outcome.status(),
                    outcome.error().map(Throwable::getMessage).orElse(""));
        }
        return Optional.of(outcome);
    }

    private AddOutcome addBlock(ChainBlock block) {
        AddOutcome outcome = tree.add(block);
        if (outcome.status() == BlockStatus.CONNECTED || outcome.status() == BlockStatus.SIDE_BRANCH) {
            listeners.forEach(l -> l.onBlockAccepted(block, outcome));
        }
        if (outcome.headChanged()) {
            updateMempool(outcome);
            listeners.forEach(l -> l.onHeadChanged(outcome));
        }
        return outcome;
    }

    private void updateMempool(AddOutcome outcome) {
        List<ChainTransaction> removed;
        ChainListener.RemovalReason reason;
        if (outcome.isReorg()) {
            List<ChainTransaction> returning = new ArrayList<>();
            for (int i = outcome.disconnected().size() - 1; i >= 0; i--) {
                returning.addAll(outcome.disconnected().get(i).transactions());
            }
            List<ChainTransaction> before = mempool.transactions();
            mempool.rebuild(new StoreChainState(store), returning, nowSeconds());
            removed = before.stream().filter(tx -> !mempool.contains(tx.id())).toList();
            reason = ChainListener.RemovalReason.REORG;
            unpersistReturningLeftOut(returning);
        } else {
            List<ChainTransaction> included = new ArrayList<>();
            List<NameEntry> names = new ArrayList<>();
            for (ChainBlock block : outcome.connected()) {
                included.addAll(block.transactions());
                store.undo(block.id()).ifPresent(undo -> names.addAll(undo.namesAdded()));
            }
            removed = mempool.removeIncluded(included, names, nowSeconds());
            reason = ChainListener.RemovalReason.INCLUDED;
            // Dropped with them (a name they registered), not included: a fact of its own.
            java.util.Set<TxId> includedIds = new java.util.HashSet<>(included.stream().map(ChainTransaction::id).toList());
            resyncMirror(removed.stream().filter(tx -> !includedIds.contains(tx.id())).toList(), ChainListener.RemovalReason.CONFLICT);
            removed = removed.stream().filter(tx -> includedIds.contains(tx.id())).toList();
        }
        resyncMirror(removed, reason);
    }

    /**
     * The tree persisted every disconnected transaction to the mempool with its disconnect (so a
     * crash cannot lose them); those the rebuild refused go (a connected block's batch already
     * deleted those it includes).
     */
    private void unpersistReturningLeftOut(List<ChainTransaction> returning) {
        StoreBatch batch = store.newBatch();
        returning.stream().filter(tx -> !mempool.contains(tx.id()))
                .forEach(tx -> batch.deleteMempoolTx(tx.id()));
        if (!batch.isEmpty()) {
            store.write(batch);
        }
    }

    private void expireMempool() {
        List<ChainTransaction> removed = mempool.expire(nowSeconds(), config.network().limits().nonceMaxAgeSeconds());
        resyncMirror(removed, ChainListener.RemovalReason.EXPIRED);
    }

    /** Brings the mirror and the persisted mempool in line with the mempool after removals/re-adds. */
    private void resyncMirror(List<ChainTransaction> removed, ChainListener.RemovalReason reason) {
        StoreBatch batch = store.newBatch();
        for (ChainTransaction tx : removed) {
            if (mirrorRemove(tx)) {
                batch.deleteMempoolTx(tx.id());
            }
        }
        for (Mempool.Entry entry : mempool.entries()) {
            if (!mempoolMirror.containsKey(entry.tx().id())) {
                mirrorAdd(entry.tx());
                batch.putMempoolTx(entry.tx(), entry.arrivalSeq());
            }
        }
        if (!batch.isEmpty()) {
            store.write(batch);
        }
        if (!removed.isEmpty()) {
            listeners.forEach(l -> l.onTransactionsRemoved(removed, reason));
        }
    }

    private void mirrorAdd(ChainTransaction tx) {
        if (mempoolMirror.put(tx.id(), tx) == null) {
            mempoolBytes.addAndGet(tx.serializedSize());
        }
    }

    private boolean mirrorRemove(ChainTransaction tx) {
        if (mempoolMirror.remove(tx.id()) != null) {
            mempoolBytes.addAndGet(-tx.serializedSize());
            return true;
        }
        return false;
    }

    /** Runs on chain-store-sync: RocksDB syncs its log concurrently with the executor's writes. */
    private void syncStore() {
        try {
            store.sync();
        } catch (RuntimeException e) {
            log.warn("Store sync failed: {}", e.getMessage());
        }
    }

    private long nowSeconds() {
        return config.clock().millis() / 1000;
    }

    /**
     * Runs on the chain executor; fails fast with {@link RejectedExecutionException} when its queue
     * is full or it is closed, and with {@link ChainStoppedException} once a store write failed.
     */
    private <T> CompletableFuture<T> call(Supplier<T> work) {
        return executor.supply(() -> unlessStopped(work));
    }

    private <T> T unlessStopped(Supplier<T> work) {
        if (storeFailure.isPresent()) {
            throw new ChainStoppedException(storeFailure.get());
        }
        try {
            return work.get();
        } catch (StoreException e) {
            storeFailure = Optional.of(e);
            log.error("Store write failed, the chain takes no more blocks or transactions until the node restarts "
                    + "(the store keeps everything up to head {}): {}", tree.head(), e.getMessage());
            throw e;
        }
    }

    /** A periodic task: skipped once stopped; its failure stops the chain like a call's. */
    private void timer(Runnable task) {
        if (storeFailure.isEmpty()) {
            try {
                unlessStopped(() -> {
                    task.run();
                    return null;
                });
            } catch (StoreException e) {
                // logged when it stopped the chain
            }
        }
    }

    /** Test hook: the tree's and mempool's consistency checks, run on the chain executor (also once stopped). */
    public CompletableFuture<List<String>> sanityCheck() {
        return executor.supply(() -> {
            List<String> problems = new ArrayList<>(tree.sanityCheck());
            problems.addAll(mempool.sanityCheck());
            return problems;
        });
    }

    /**
     * Stops the timers and the pre-verifiers, lets the chain executor finish what is queued (bounded
     * wait, then interrupt), waits for a sync in progress, closes the store.
     */
    @Override
    public void close() {
        preverifier.close(PREVERIFY_GRACE);
        txVerifier.close(PREVERIFY_GRACE);
        executor.close(SHUTDOWN_TIMEOUT);
        storeSync.close(SHUTDOWN_TIMEOUT);
        checks.close();
        store.close();
    }
}
