package org.protoblock.p2p.chain;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainHead;

/**
 * A {@link LocalChainInfo} whose head is set by hand: tests and benchmarks of links without a chain.
 *
 * <p>Threads: any; the head is an atomic reference.
 */
public final class StaticChainInfo implements LocalChainInfo {
    private final String networkId;
    private final BlockId genesisId;
    private final AtomicReference<ChainHead> head;

    public StaticChainInfo(String networkId, BlockId genesisId, ChainHead head) {
        this.networkId = Objects.requireNonNull(networkId, "networkId");
        this.genesisId = Objects.requireNonNull(genesisId, "genesisId");
        this.head = new AtomicReference<>(Objects.requireNonNull(head, "head"));
    }

    /** A chain that is only its genesis block. */
    public static StaticChainInfo atGenesis(String networkId, BlockId genesisId) {
        return new StaticChainInfo(networkId, genesisId, new ChainHead(genesisId, 0));
    }

    public void setHead(ChainHead newHead) {
        head.set(Objects.requireNonNull(newHead, "newHead"));
    }

    @Override
    public String networkId() {
        return networkId;
    }

    @Override
    public BlockId genesisId() {
        return genesisId;
    }

    @Override
    public ChainHead head() {
        return head.get();
    }
}
