package org.protoblock.p2p.chain;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link LocalChainInfo} whose head is set by hand: tests, benchmarks and the simulator. */
public final class StaticChainInfo implements LocalChainInfo {
    private final String networkId;
    private final String genesisId;
    private final AtomicReference<ChainHead> head;

    public StaticChainInfo(String networkId, String genesisId, ChainHead head) {
        this.networkId = Objects.requireNonNull(networkId, "networkId");
        this.genesisId = new ChainHead(0, genesisId).blockId();
        this.head = new AtomicReference<>(Objects.requireNonNull(head, "head"));
    }

    public void setHead(ChainHead newHead) {
        head.set(Objects.requireNonNull(newHead, "newHead"));
    }

    @Override
    public String networkId() {
        return networkId;
    }

    @Override
    public String genesisId() {
        return genesisId;
    }

    @Override
    public ChainHead head() {
        return head.get();
    }
}
