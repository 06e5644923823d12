package org.protoblock.p2p.chain;

import org.protoblock.chain.service.Chain;

/** The real chain as the handshake sees it. Cheap and thread-safe: {@link Chain#head()} is a volatile read. */
public final class ChainInfoAdapter implements LocalChainInfo {
    private final Chain chain;

    public ChainInfoAdapter(Chain chain) {
        this.chain = chain;
    }

    @Override
    public String networkId() {
        return chain.config().network().networkId();
    }

    @Override
    public String genesisId() {
        return chain.genesisId().toHex();
    }

    @Override
    public ChainHead head() {
        org.protoblock.chain.types.ChainHead head = chain.head();
        return new ChainHead(head.num(), head.id().toHex());
    }
}
