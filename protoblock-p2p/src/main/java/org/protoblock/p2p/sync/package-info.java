/**
 * Chain comparison and headers-first block sync (DESIGN.md "Wire protocol": chain comparison, sync).
 *
 * <ul>
 *   <li>{@link org.protoblock.p2p.sync.SyncManager} — the protocol component: learns peers' heads
 *       (Hello, {@code onPeerHead} from block gossip, periodic GetHeaders polls), starts and runs
 *       syncs, publishes {@link org.protoblock.p2p.sync.SyncProgress}. One executor owns its state.</li>
 *   <li>{@code SyncRun} — one sync towards one validated header chain: body requests and in-order,
 *       pipelined application through {@code Chain.submitBlocks}.</li>
 *   <li>{@link org.protoblock.p2p.sync.BlockDownloadScheduler} — the pure data structure that
 *       decides which peer is asked for which bodies (window, batches, adaptive timeouts, stealing
 *       from slow peers, in-order hand-out); its class comment is its specification.</li>
 *   <li>{@code HeaderChain} — header validation (linkage, producer signature) in parallel.</li>
 *   <li>{@code HeaderLookahead} — the one look-ahead GetHeaders of a run (its answer waits for the
 *       batch before it).</li>
 *   <li>{@code SyncServer} — answers GetHeaders / GetBlocks from the store, bounded.</li>
 * </ul>
 *
 * <p>Choices worth knowing:
 * <ul>
 *   <li>Headers come from the header source, and while its full batch of 2,000 is validated the
 *       next batch is asked of another peer that claims more ({@code HeaderLookahead}, locator = the
 *       unverified last id first): the header chain grows by a batch per round trip, from the peers in
 *       turn, with at most two GetHeaders of a run in flight. A look-ahead answer is used only if the
 *       batch before it proves valid and it extends it (otherwise dropped, no penalty). Bodies come
 *       from every peer. Other peers are assumed to have the blocks up to their advertised head; a
 *       peer that answers without one is not asked for it again (no header round trip per peer).</li>
 *   <li>A header's producer signature is verified once: sync checks headers through
 *       {@code ChainAccess.signatureVerifier()} (the chain's signature cache), and the chain's
 *       pre-verification skips signatures the cache knows, so the block connects without a second
 *       check.</li>
 *   <li>A block is "applied" for the scheduler when the chain stored it (CONNECTED, SIDE_BRANCH,
 *       or a DUPLICATE the store holds). A DUPLICATE that only sits in the chain's orphan pool may
 *       be a forged same-id copy, so it is fetched again instead.</li>
 *   <li>An INVALID block costs its server INVALID_BLOCK (a disconnect) and every body it served
 *       that is still buffered; they are fetched from others.</li>
 *   <li>{@link org.protoblock.p2p.sync.SyncConfig#serveDelay()} is a test knob that makes a server
 *       really slow (each answer scheduled later, no thread blocked).</li>
 * </ul>
 */
package org.protoblock.p2p.sync;
