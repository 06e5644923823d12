/**
 * Block and transaction gossip (DESIGN.md "Block gossip", "Transaction gossip", "Mempool sync").
 *
 * <p>Protocols (each a {@link org.protoblock.p2p.protocol.Protocol} with its own single-threaded,
 * bounded executor; peer callbacks and chain events only hop onto it):
 * <ul>
 *   <li>{@link org.protoblock.p2p.gossip.TxGossip}: relays only chain-accepted transactions;
 *       announces ids to peers lacking them
 *       ({@link org.protoblock.p2p.gossip.KnownInventory}), at once on an idle link and in batches
 *       under load ({@code AnnouncePacer}), as 4-byte short ids salted per link ({@code
 *       tx_short_ids}; {@code ShortTxIds}, {@code ShortIdTable}) or full ids ({@code Inventory{TX}});
 *       fetches announced ids one announcer at a time
 *       ({@link org.protoblock.p2p.gossip.TxRequestTracker}, timeout fallback; unresolved short ids
 *       through {@code ParkedShortIds}); remembers rejected ids; scores peers by
 *       {@link org.protoblock.p2p.gossip.TxRejection}.</li>
 *   <li>{@link org.protoblock.p2p.gossip.MempoolSync}: after the handshake, the peer's mempool ids
 *       become announcements from it.</li>
 *   <li>{@link org.protoblock.p2p.gossip.BlockGossip}: compact blocks with 6-byte short ids keyed per
 *       announcement ({@link org.protoblock.p2p.gossip.CompactBlock}, BIP152), duplicates dropped
 *       on the header's hash before any decoding, rebuilt from the transactions we hold
 *       ({@link org.protoblock.p2p.gossip.BlockRebuild}), completed by {@code GetBlockTxs} or fetched
 *       whole by {@code GetBlocks} (also when the rebuilt root misses the header's: a short id
 *       collision, not scored); unconnectable announcements go to sync
 *       ({@link org.protoblock.p2p.gossip.HeadListener}).</li>
 * </ul>
 * Plain, I/O-free structures with specifications and consistency checks: {@code KnownInventory},
 * {@code BoundedIdSet}, {@code TxRequestTracker}, {@code BlockRebuild}, {@code AnnouncePacer},
 * {@code ShortIdTable}, {@code ParkedShortIds}.
 *
 * <p>Hostile peers (issue 10): answers are byte-budgeted before they are built
 * ({@code ResponseBudget}; GetBlockTxs indexes strictly ascending, GetTxs ids served once);
 * rejections for what a transaction id does not cover (signature, outer name) condemn the copy's
 * bytes, not the id, and the other announcers are asked; at most {@code maxTxsValidating}
 * transactions from peers wait on the chain executor; unknown-name floods are scored; NewBlock
 * headers are verified before any fetch, one announcer holds at most
 * {@code maxBlocksInFlightPerPeer} slots, a stalling source is scored and the next announcer asked,
 * and announced short ids that differ from the valid block's convict the announcer; per-peer id budgets
 * ({@link org.protoblock.p2p.gossip.GossipConfig#perPeerIds}) fit 125 peers in a bounded total.
 *
 * <p>Known limit: a transaction whose name registration has not reached us yet (rule UNKNOWN_NAME)
 * is dropped, not held: there is no orphan-transaction pool, so it arrives only when announced
 * again (e.g. mempool sync on a new link, or a reorg re-announcement).
 */
package org.protoblock.p2p.gossip;
