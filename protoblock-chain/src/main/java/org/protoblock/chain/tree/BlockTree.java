package org.protoblock.chain.tree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.protoblock.chain.store.BlockMeta;
import org.protoblock.chain.store.BlockUndo;
import org.protoblock.chain.store.ChainStore;
import org.protoblock.chain.store.NameEntry;
import org.protoblock.chain.store.StoreBatch;
import org.protoblock.chain.store.StoreException;
import org.protoblock.chain.store.TxLocation;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.chain.validation.ChainStateOverlay;
import org.protoblock.chain.validation.StoreChainState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every valid block whose parent is known, chooses the main chain and moves the store's
 * main chain to it, rolling back and re-applying blocks across a reorg.
 *
 * <p>Rules kept:
 * <ul>
 *   <li>A block is stored only after the state-free checks ({@link BlockChecks#checkBlock}) pass;
 *       its transactions are checked against chain state when it is connected to the main chain.
 *       Rationale: a side branch's state is only known once it is applied.</li>
 *   <li>The main chain ends at the index's best tip (greatest num, first seen wins ties), or as
 *       close to it as validation allows: a block that fails to connect is deleted (its
 *       descendants go back to the orphan pool, waiting for a genuine copy of it), and fork
 *       choice runs again. Rationale: see {@link BlockIndex} on same-id copies.</li>
 *   <li>Each connect or disconnect is one store batch that moves the head with it; a new block
 *       that connects at once is stored in the same batch. Rationale: a crash at any point
 *       leaves a consistent main chain (on reopen the tree resumes towards the best tip), and the
 *       common case costs one write.</li>
 *   <li>The name registry and transaction index are main-chain state: connecting adds a block's
 *       names and transactions, disconnecting removes them using the block's undo data.</li>
 *   <li>The index holds only stored blocks, and the head is the store's: a store write that
 *       fails ({@link StoreException}, e.g. a full disk) takes the new block's unwritten entry out
 *       of the index and leaves the head at the last batch written. Rationale: otherwise the block
 *       counts as known (a duplicate) but can never be loaded; the chain stops taking writes after
 *       such a failure anyway (see {@code Chain}), but its reads must still match the store.</li>
 * </ul>
 *
 * <p>Threads: not thread-safe; owned by the chain executor. {@link #head()} is safe from any
 * thread.
 */
public final class BlockTree {
    private static final Logger log = LoggerFactory.getLogger(BlockTree.class);

    private final ChainStore store;
    private final BlockChecks checks;
    private final BlockId genesisId;
    private final BlockIndex index = new BlockIndex();
    private final OrphanPool orphans;
    private final StoreChainState mainState;
    private long nextArrivalSeq;
    private volatile ChainHead head;
    /** A new block not written yet: connecting it carries its write (see {@link #add}). */
    private Optional<PendingBlock> pending = Optional.empty();

    private record PendingBlock(ChainBlock block, BlockMeta meta) {
    }

    private BlockTree(ChainStore store, BlockChecks checks, BlockId genesisId, OrphanPool orphans) {
        this.store = store;
        this.checks = checks;
        this.genesisId = genesisId;
        this.orphans = orphans;
        this.mainState = new StoreChainState(store);
    }

    /**
     * Opens the tree over a store: writes the genesis into an empty store, otherwise rebuilds the
     * index from the stored block metas and resumes towards the best tip.
     */
    public static BlockTree open(ChainStore store, ChainBlock genesis, BlockChecks checks, int maxOrphans,
                                 long maxOrphanBytes) throws ValidationException {
        BlockTree tree = new BlockTree(store, checks, genesis.id(), new OrphanPool(maxOrphans, maxOrphanBytes));
        Optional<ChainHead> storedHead = store.head();
        if (storedHead.isEmpty()) {
            tree.initialize(genesis);
        } else {
            if (store.mainChainId(0).filter(genesis.id()::equals).isEmpty()) {
                throw new IllegalStateException("store belongs to another network: block 0 is not "
                        + genesis.id().shortHex());
            }
            tree.head = storedHead.get();
            tree.rebuildIndex();
            List<AddOutcome.Rejection> rejected = new ArrayList<>();
            List<ChainBlock> disconnected = new ArrayList<>();
            List<ChainBlock> connected = new ArrayList<>();
            tree.followBestTip(disconnected, connected, rejected);
            if (!connected.isEmpty() || !disconnected.isEmpty()) {
                log.info("Resumed towards the best tip on open: head {}", tree.head);
            }
        }
        return tree;
    }

    private void initialize(ChainBlock genesis) throws ValidationException {
        checks.checkGenesis(genesis);
        BlockMeta meta = metaOf(genesis, nextArrivalSeq++);
        StoreBatch batch = store.newBatch().putBlock(genesis, meta.arrivalSeq());
        List<NameEntry> names = applyTransactions(genesis, batch);
        ChainHead genesisHead = genesis.asHead();
        batch.putMainChain(0, genesis.id()).putUndo(genesis.id(), new BlockUndo(names)).setHead(genesisHead);
        store.write(batch);
        index.add(meta, true);
        head = genesisHead;
    }

    private void rebuildIndex() {
        List<BlockMeta> metas = new ArrayList<>();
        store.forEachBlockMeta(metas::add);
        metas.sort(Comparator.comparingInt(BlockMeta::num).thenComparingLong(BlockMeta::arrivalSeq));
        for (BlockMeta meta : metas) {
            boolean isGenesis = meta.id().equals(genesisId);
            if (isGenesis || index.contains(meta.parentId())) {
                index.add(meta, isGenesis);
            } else {
                log.warn("Stored block {} has no stored parent; ignored", meta.id().shortHex());
            }
            nextArrivalSeq = Math.max(nextArrivalSeq, meta.arrivalSeq() + 1);
        }
    }

    public ChainHead head() {
        return head;
    }

    public BlockId genesisId() {
        return genesisId;
    }

    public boolean contains(BlockId id) {
        return index.contains(id) || orphans.contains(id);
    }

    public Optional<BlockMeta> meta(BlockId id) {
        return index.get(id);
    }

    public int orphanCount() {
        return orphans.size();
    }

    /** Parents that orphans are waiting for: what sync should fetch. */
    public List<BlockId> missingOrphanParents() {
        return orphans.missingParents();
    }

    /** The tips of every branch, best first. */
    public List<BlockMeta> tips() {
        return index.tips();
    }

    /** Adds a block from any source; the main chain follows fork choice. */
    public AddOutcome add(ChainBlock block) {
        ChainHead oldHead = head;
        List<ChainBlock> disconnected = new ArrayList<>();
        List<ChainBlock> connected = new ArrayList<>();
        List<AddOutcome.Rejection> rejected = new ArrayList<>();

        BlockStatus status;
        Optional<ValidationException> error = Optional.empty();
        try {
            status = insert(block);
        } catch (ValidationException e) {
            status = BlockStatus.INVALID;
            error = Optional.of(e);
        }
        if (status == BlockStatus.SIDE_BRANCH) {
            try {
                followBestTip(disconnected, connected, rejected);
                writePendingBlock();
                connectOrphansOf(block.id());
                followBestTip(disconnected, connected, rejected);
            } catch (StoreException e) {
                forgetUnwrittenBlock();
                throw e;
            }
            Optional<AddOutcome.Rejection> rejection = rejected.stream()
                    .filter(r -> r.blockId().equals(block.id())).findFirst();
            if (rejection.isPresent()) {
                status = BlockStatus.INVALID;
                error = Optional.of(rejection.get().error());
            } else if (!index.contains(block.id())) {
                status = BlockStatus.ORPHAN; // an ancestor failed: waits for a genuine copy of it
            } else if (connected.stream().anyMatch(b -> b.id().equals(block.id())) || isOnMainChain(block.id())) {
                status = BlockStatus.CONNECTED;
            }
        }
        return new AddOutcome(block.id(), status, error, oldHead, head, disconnected, connected, rejected);
    }

    private boolean isOnMainChain(BlockId id) {
        return index.get(id).flatMap(m -> store.mainChainId(m.num())).filter(id::equals).isPresent();
    }

    /** Validates and stores one block; SIDE_BRANCH means stored (fork choice runs next). */
    private BlockStatus insert(ChainBlock block) throws ValidationException {
        if (contains(block.id())) {
            return BlockStatus.DUPLICATE;
        }
        if (block.num() == 0) {
            checks.checkGenesis(block);
            return BlockStatus.DUPLICATE;
        }
        BlockId parentId = block.parentId()
                .orElseThrow(() -> new ValidationException(Rule.BAD_PREV_ID, block.header().getPrevId().toStringUtf8()));
        Optional<BlockMeta> parent = index.get(parentId);
        if (parent.isEmpty()) {
            orphans.add(block);
            return BlockStatus.ORPHAN;
        }
        checks.checkBlock(block, parent.get());
        BlockMeta meta = metaOf(block, nextArrivalSeq++);
        index.add(meta, false);
        pending = Optional.of(new PendingBlock(block, meta));
        return BlockStatus.SIDE_BRANCH;
    }

    private void store(ChainBlock block) {
        BlockMeta meta = metaOf(block, nextArrivalSeq++);
        store.write(store.newBatch().putBlock(block, meta.arrivalSeq()));
        index.add(meta, false);
    }

    /** The new block stayed off the main chain: store it on its own. */
    private void writePendingBlock() {
        pending.ifPresent(p -> store.write(store.newBatch().putBlock(p.block(), p.meta().arrivalSeq())));
        pending = Optional.empty();
    }

    /** A write failed before the new block was stored: the index must not claim it. */
    private void forgetUnwrittenBlock() {
        pending.ifPresent(p -> index.removeSubtree(p.meta().id()));
        pending = Optional.empty();
    }

    private Optional<PendingBlock> pendingFor(BlockId id) {
        return pending.filter(p -> p.block().id().equals(id));
    }

    /** Stores orphans that were waiting for {@code parentId}, and theirs, breadth first. */
    private void connectOrphansOf(BlockId parentId) {
        Deque<BlockId> parents = new ArrayDeque<>();
        parents.add(parentId);
        while (!parents.isEmpty()) {
            BlockId parent = parents.poll();
            for (ChainBlock child : orphans.takeChildrenOf(parent)) {
                try {
                    checks.checkBlock(child, index.get(parent).orElseThrow());
                    store(child);
                    parents.add(child.id());
                } catch (ValidationException e) {
                    log.info("Orphan {} rejected: {}", child, e.getMessage());
                }
            }
        }
    }

    /** Moves the main chain towards the best valid tip, one batch per block. */
    private void followBestTip(List<ChainBlock> disconnected, List<ChainBlock> connected,
                               List<AddOutcome.Rejection> rejected) {
        while (true) {
            BlockMeta best = index.bestTip().orElseThrow();
            // The head was chosen by the same order, so this only moves for a better tip, or back
            // to the first-seen one when the branch that displaced it failed.
            if (best.id().equals(head.id())) {
                return;
            }
            BlockMeta fork = index.forkPoint(head.id(), best.id()).orElseThrow();
            while (!head.id().equals(fork.id())) {
                disconnected.add(disconnectHead());
            }
            for (BlockMeta meta : index.branch(fork.id(), best.id())) {
                ChainBlock block = loadBlock(meta.id());
                try {
                    connect(block);
                    connected.add(block);
                } catch (ValidationException e) {
                    log.info("Block {} failed to connect: {}", block, e.getMessage());
                    discard(block.id());
                    rejected.add(new AddOutcome.Rejection(block.id(), e));
                    break;
                }
            }
        }
    }

    /** Deletes a block that failed to connect; its descendants wait in the orphan pool again. */
    private void discard(BlockId id) {
        List<BlockMeta> removed = index.removeSubtree(id);
        StoreBatch batch = store.newBatch();
        for (BlockMeta meta : removed) {
            if (!meta.id().equals(id)) {
                pendingFor(meta.id()).map(PendingBlock::block).or(() -> store.block(meta.id())).ifPresent(orphans::add);
            }
            if (pendingFor(meta.id()).isPresent()) {
                pending = Optional.empty();
            }
            batch.deleteBlock(meta.id());
        }
        store.write(batch);
    }

    private ChainBlock loadBlock(BlockId id) {
        return pendingFor(id).map(PendingBlock::block).or(() -> store.block(id))
                .orElseThrow(() -> new IllegalStateException("indexed block missing from store: " + id));
    }

    private void connect(ChainBlock block) throws ValidationException {
        StoreBatch batch = store.newBatch();
        Optional<PendingBlock> carried = pendingFor(block.id());
        carried.ifPresent(p -> batch.putBlock(p.block(), p.meta().arrivalSeq()));
        List<NameEntry> names = applyTransactions(block, batch);
        ChainHead newHead = block.asHead();
        batch.putMainChain(block.num(), block.id()).putUndo(block.id(), new BlockUndo(names)).setHead(newHead);
        store.write(batch);
        if (carried.isPresent()) {
            pending = Optional.empty();
        }
        head = newHead;
    }

    /** Validates every transaction in order and adds its effects to the batch. */
    private List<NameEntry> applyTransactions(ChainBlock block, StoreBatch batch) throws ValidationException {
        ChainStateOverlay state = new ChainStateOverlay(mainState);
        List<NameEntry> names = new ArrayList<>();
        List<ChainTransaction> txs = block.transactions();
        for (int i = 0; i < txs.size(); i++) {
            Optional<NameEntry> name = checks.checkTransaction(block, i, state);
            TxLocation location = new TxLocation(block.id(), block.num(), i, block.header().getTimestamp());
            state.addTx(txs.get(i).id(), location);
            batch.putTx(txs.get(i).id(), location);
            batch.deleteMempoolTx(txs.get(i).id()); // in the same batch: a crash right after leaves no included tx pending
            if (name.isPresent()) {
                state.addName(name.get());
                batch.putName(name.get());
                names.add(name.get());
            }
        }
        return names;
    }

    private ChainBlock disconnectHead() {
        ChainBlock block = loadBlock(head.id());
        BlockUndo undo = store.undo(block.id())
                .orElseThrow(() -> new IllegalStateException("no undo data for main-chain block " + block));
        BlockMeta parent = index.get(block.parentId().orElseThrow()).orElseThrow();
        ChainHead parentHead = new ChainHead(parent.id(), parent.num());
        StoreBatch batch = store.newBatch();
        List<ChainTransaction> txs = block.transactions();
        for (int i = 0; i < txs.size(); i++) {
            batch.deleteTx(txs.get(i).id());
            // Back to the persisted mempool in the same batch: a crash before the mempool's own
            // rebuild must not lose them (the restart re-validates every persisted entry).
            batch.putMempoolTx(txs.get(i), returningArrivalSeq(block.num(), i));
        }
        undo.namesAdded().forEach(batch::deleteName);
        batch.deleteMainChain(block.num()).deleteUndo(block.id()).setHead(parentHead);
        store.write(batch);
        head = parentHead;
        return block;
    }

    /**
     * Orders a disconnected block's transactions before every arrival (whose sequence numbers are
     * not negative) and older blocks first, so a restart re-adds them in the order they were mined.
     */
    static long returningArrivalSeq(long blockNum, int index) {
        return Long.MIN_VALUE + (blockNum << 24) + index;
    }

    private static BlockMeta metaOf(ChainBlock block, long arrivalSeq) {
        return new BlockMeta(block.id(), block.parentId().orElse(BlockId.NONE), block.num(), arrivalSeq,
                block.header().getTimestamp());
    }

    /** Consistency check for tests. */
    public List<String> sanityCheck() {
        List<String> problems = new ArrayList<>(index.sanityCheck(genesisId));
        if (!index.contains(head.id())) {
            problems.add("head " + head + " not indexed");
        }
        if (!store.head().map(head::equals).orElse(false)) {
            problems.add("head " + head + " is not the store's " + store.head());
        }
        for (BlockMeta meta : index.all()) {
            if (!store.containsBlock(meta.id())) {
                problems.add("indexed block " + meta.id().shortHex() + " not stored");
            }
        }
        return problems;
    }
}
