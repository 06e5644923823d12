/**
 * The local chain as p2p sees it (DESIGN.md "Modules": node → p2p → chain, through a small interface).
 *
 * <ul>
 *   <li>{@link org.protoblock.p2p.chain.ChainAccess}: all that sync, gossip and the handshake ask
 *       of the chain (head, blocks and headers by id or height, locator, fork point, submissions,
 *       mempool view, events). No p2p protocol sees the chain's store.</li>
 *   <li>{@link org.protoblock.p2p.chain.ChainAdapter}: its one implementation over the real chain.</li>
 *   <li>{@link org.protoblock.p2p.chain.LocalChainInfo}: the handshake's part of it (network,
 *       genesis, head); {@link org.protoblock.p2p.chain.StaticChainInfo} sets it by hand for link
 *       tests and benchmarks without a chain.</li>
 * </ul>
 * Ids travel as {@code BlockId}/{@code TxId} and heads as the chain's {@code ChainHead}; hex only at
 * the wire, log and JSON edges.
 */
package org.protoblock.p2p.chain;
