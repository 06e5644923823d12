package org.protoblock.p2p.chain;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.protoblock.chain.crypto.SignatureVerifier;
import org.protoblock.chain.network.NetworkParams;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.service.ChainListener;
import org.protoblock.chain.store.BlockMeta;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.TxId;

/**
 * {@link ChainAccess} over the real {@link Chain}: plain delegation, no state of its own. Reads go
 * to the chain's store and concurrent mirrors; writes and events to its executor.
 */
public final class ChainAdapter implements ChainAccess {
    private final Chain chain;

    public ChainAdapter(Chain chain) {
        this.chain = Objects.requireNonNull(chain, "chain");
    }

    @Override
    public NetworkParams network() {
        return chain.config().network();
    }

    @Override
    public Clock clock() {
        return chain.config().clock();
    }

    @Override
    public SignatureVerifier signatureVerifier() {
        return chain.signatureVerifier();
    }

    @Override
    public BlockId genesisId() {
        return chain.genesisId();
    }

    @Override
    public ChainHead head() {
        return chain.head();
    }

    @Override
    public boolean hasBlock(BlockId id) {
        return chain.hasBlock(id);
    }

    @Override
    public Optional<ChainBlock> block(BlockId id) {
        return chain.block(id);
    }

    @Override
    public Optional<byte[]> serializedBlock(BlockId id) {
        return chain.serializedBlock(id);
    }

    @Override
    public Optional<byte[]> serializedHeader(BlockId id) {
        return chain.serializedHeader(id);
    }

    @Override
    public Optional<BlockMeta> blockMeta(BlockId id) {
        return chain.blockMeta(id);
    }

    @Override
    public Optional<BlockId> mainChainId(int num) {
        return chain.mainChainId(num);
    }

    @Override
    public List<BlockId> locator() {
        return chain.locator();
    }

    @Override
    public ChainHead forkPoint(List<BlockId> locator) {
        return chain.forkPoint(locator);
    }

    @Override
    public boolean isIncluded(TxId id) {
        return chain.txLocation(id).isPresent();
    }

    @Override
    public boolean mempoolContains(TxId id) {
        return chain.mempoolContains(id);
    }

    @Override
    public Optional<ChainTransaction> mempoolTransaction(TxId id) {
        return chain.mempoolTransaction(id);
    }

    @Override
    public CompletableFuture<List<TxId>> mempoolIds() {
        return chain.mempoolIds();
    }

    @Override
    public boolean isStopped() {
        return chain.storeFailure().isPresent();
    }

    @Override
    public CompletableFuture<AddOutcome> submitBlock(ChainBlock block) {
        return chain.submitBlock(block);
    }

    @Override
    public CompletableFuture<List<AddOutcome>> submitBlocks(List<ChainBlock> blocks) {
        return chain.submitBlocks(blocks);
    }

    @Override
    public CompletableFuture<TxId> submitTransaction(ChainTransaction tx) {
        return chain.submitTransaction(tx);
    }

    @Override
    public void subscribe(ChainListener listener) {
        chain.addListener(listener);
    }

    @Override
    public void unsubscribe(ChainListener listener) {
        chain.removeListener(listener);
    }
}
