package org.protoblock.p2p.chain;

/**
 * What the handshake needs to know about the local chain. The node wiring adapts the real chain to
 * it; tests and the simulator use {@link StaticChainInfo}.
 *
 * <p>Contract: every method is thread-safe and cheap (no I/O, no locks held across I/O): they are
 * called on Netty event loops, e.g. from a volatile snapshot the chain executor updates.
 */
public interface LocalChainInfo {
    /** Network name, e.g. "devnet"; links between different networks are refused. */
    String networkId();

    /** Genesis block id, lowercase hex. */
    String genesisId();

    /** Current head of the main chain. */
    ChainHead head();
}
