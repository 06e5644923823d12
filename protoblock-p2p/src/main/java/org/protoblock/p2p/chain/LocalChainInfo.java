package org.protoblock.p2p.chain;

import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainHead;

/**
 * What the handshake needs to know about the local chain: the part of {@link ChainAccess} a
 * {@code PeerHost} sees. Tests and benchmarks that run links without a chain use {@link StaticChainInfo}.
 *
 * <p>Contract: every method is thread-safe and cheap (no I/O, no locks held across I/O): they are
 * called on Netty event loops, e.g. from a volatile snapshot the chain executor updates.
 */
public interface LocalChainInfo {
    /** Network name, e.g. "devnet"; links between different networks are refused. */
    String networkId();

    /** Genesis block id; links between different genesis blocks are refused. */
    BlockId genesisId();

    /** Current head of the main chain. */
    ChainHead head();
}
