package org.protoblock.p2p.chain;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.protoblock.chain.crypto.Secp256k1Verifier;
import org.protoblock.chain.crypto.SignatureVerifier;
import org.protoblock.chain.network.NetworkParams;
import org.protoblock.chain.service.ChainListener;
import org.protoblock.chain.store.BlockMeta;
import org.protoblock.chain.store.StoredHeaders;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.TxId;

/**
 * The local chain as p2p sees it (DESIGN.md "Modules": p2p talks to chain through a small
 * interface): everything sync, gossip and the handshake ask of the chain, and nothing more. The node
 * implements it once over the real chain ({@link ChainAdapter}); a network simulator can implement it
 * over an in-memory chain of its own.
 *
 * <p>Contract:
 * <ul>
 *   <li><b>Reads</b> are thread-safe and never wait for the chain's executor: they are called on
 *       event loops and protocol executors. A read may see a state a few blocks old.</li>
 *   <li><b>Writes</b> return at once; the future completes when the chain has decided, and fails
 *       (e.g. {@link java.util.concurrent.RejectedExecutionException} when the chain is busy) rather
 *       than blocking the caller.</li>
 *   <li><b>Events</b> ({@link ChainListener}) are delivered once per fact, in order, on the chain's
 *       thread: listeners hop onto their own executor and return.</li>
 * </ul>
 */
public interface ChainAccess extends LocalChainInfo {

    /** The network's parameters: limits for decoding, producer keys for header checks. */
    NetworkParams network();

    /** The chain's clock (block timestamps are checked against it). */
    Clock clock();

    /**
     * The verifier for header signatures checked ahead of their blocks (headers-first sync): the
     * chain's own cached one, so a header verified during sync is not verified again when its block
     * connects. The default verifies every time (chains without a cache).
     */
    default SignatureVerifier signatureVerifier() {
        return Secp256k1Verifier.INSTANCE;
    }

    @Override
    default String networkId() {
        return network().networkId();
    }

    // ---- blocks and headers

    boolean hasBlock(BlockId id);

    Optional<ChainBlock> block(BlockId id);

    /** A stored block's serialized {@code Block}, as stored: served to peers without re-encoding. */
    Optional<byte[]> serializedBlock(BlockId id);

    /**
     * A stored block's serialized {@code SignedBlockHeader}, read without its body (served in Headers).
     * The default cuts it out of {@link #serializedBlock}, for chains that keep no headers apart.
     */
    default Optional<byte[]> serializedHeader(BlockId id) {
        return serializedBlock(id).flatMap(StoredHeaders::cutFrom);
    }

    /** A stored block's header facts (id, parent, num, timestamp) without its body. */
    Optional<BlockMeta> blockMeta(BlockId id);

    /** The id of the main-chain block at height {@code num}. */
    Optional<BlockId> mainChainId(int num);

    /** Main-chain ids from the head back at doubling distances, ending with the genesis. */
    List<BlockId> locator();

    /** The highest entry of a peer's {@code locator} on our main chain (the genesis when none is). */
    ChainHead forkPoint(List<BlockId> locator);

    /** Whether a main-chain block included the transaction. */
    boolean isIncluded(TxId id);

    // ---- mempool view

    boolean mempoolContains(TxId id);

    Optional<ChainTransaction> mempoolTransaction(TxId id);

    /** Mempool ids in arrival order. */
    CompletableFuture<List<TxId>> mempoolIds();

    // ---- writes

    /**
     * True once the chain takes no more writes (a store write failed; see {@code Chain.storeFailure});
     * reads keep working. Sync and gossip stop fetching blocks and transactions then: every submission
     * would fail, and they would download the same blocks again forever. Cheap and thread-safe.
     */
    default boolean isStopped() {
        return false;
    }

    CompletableFuture<AddOutcome> submitBlock(ChainBlock block);

    /** Adds blocks in order (their signatures may be checked in parallel first). */
    CompletableFuture<List<AddOutcome>> submitBlocks(List<ChainBlock> blocks);

    /** Completes with the id once in the mempool; exceptionally with a {@code ValidationException} when refused. */
    CompletableFuture<TxId> submitTransaction(ChainTransaction tx);

    // ---- events

    void subscribe(ChainListener listener);

    void unsubscribe(ChainListener listener);
}
