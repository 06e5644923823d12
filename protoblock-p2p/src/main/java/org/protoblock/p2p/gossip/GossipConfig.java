package org.protoblock.p2p.gossip;

import java.time.Duration;
import java.util.Objects;

/**
 * Timers and bounds of block and transaction gossip. Every bound is here so tests can shrink them.
 *
 * @param announceInterval          a busy link gets at most one transaction announcement per interval
 *                                  (an idle link at once; see AnnouncePacer)
 * @param announceBatch             … and one at once when a peer has this many pending
 * @param maxInventoryIds           ids per announcement (Inventory or tx_short_ids) we send or accept
 * @param maxQueuedAnnouncements    pending announcements per peer (more are dropped: mempool sync catches up)
 * @param txRequestTimeout          a GetTxs unanswered this long falls back to another announcer
 * @param maxTxsPerRequest          ids per GetTxs or get_tx_short_ids we send or serve
 * @param maxTxRequestsPerPeer      GetTxs requests outstanding per peer (by short id: see ParkedShortIds)
 * @param maxTxAnnouncementsPerPeer TxRequestTracker bound per peer
 * @param maxTxsInFlightPerPeer     TxRequestTracker in-flight bound per peer
 * @param knownTxsPerPeer           KnownInventory bound per peer, transactions
 * @param knownBlocksPerPeer        KnownInventory bound per peer, blocks
 * @param rejectedTxs               recently rejected transaction ids remembered (not fetched again)
 * @param recentTxs                 transactions recently accepted, included or removed, kept to rebuild compact blocks
 * @param maxMempoolIds             ids we ask for, and serve, in mempool sync
 * @param blockRequestTimeout       GetBlockTxs / GetBlocks timeout
 * @param maxBlocksInFlight         compact blocks being completed at once
 * @param maxAnnouncedBlocks        of the blocks one head change connected, how many (the newest) are announced
 * @param executorQueue             tasks queued per gossip executor before events are dropped
 * @param maxBlocksInFlightPerPeer  of those, announced by one peer (fake announcements cannot fill them all)
 * @param maxTxsValidating          transactions from peers handed to the chain and not yet judged, all peers
 *                                  together: well below the chain executor's queue, so transaction load
 *                                  never gets a block refused
 * @param shortIdsPerPeer           ShortIdTable bound per link: our recent transactions by the link's short id
 */
public record GossipConfig(Duration announceInterval, int announceBatch, int maxInventoryIds,
                           int maxQueuedAnnouncements, Duration txRequestTimeout, int maxTxsPerRequest,
                           int maxTxRequestsPerPeer, int maxTxAnnouncementsPerPeer, int maxTxsInFlightPerPeer,
                           int knownTxsPerPeer, int knownBlocksPerPeer, int rejectedTxs, int recentTxs,
                           int maxMempoolIds, Duration blockRequestTimeout, int maxBlocksInFlight,
                           int maxAnnouncedBlocks, int executorQueue, int maxBlocksInFlightPerPeer,
                           int maxTxsValidating, int shortIdsPerPeer) {

    public GossipConfig {
        Objects.requireNonNull(announceInterval, "announceInterval");
        Objects.requireNonNull(txRequestTimeout, "txRequestTimeout");
        Objects.requireNonNull(blockRequestTimeout, "blockRequestTimeout");
        if (announceBatch < 1 || maxInventoryIds < announceBatch || maxTxsPerRequest < 1 || maxTxRequestsPerPeer < 1
                || maxTxsInFlightPerPeer < 1 || maxMempoolIds < 1 || maxBlocksInFlight < 1 || executorQueue < 16
                || maxBlocksInFlightPerPeer < 1 || maxTxsValidating < 1 || shortIdsPerPeer < 1) {
            throw new IllegalArgumentException("gossip bounds too small");
        }
    }

    public static GossipConfig defaults() {
        // Announcements: an idle link at once, a busy one every 20 ms (50 ms gave 3x the p50 latency at
        // 200 tx/s for 0.04x fewer gossip bytes; BENCHMARKS.md, GossipBenchmark). Per peer: 5,000 tracked announcements as Bitcoin Core (MAX_PEER_TX_ANNOUNCEMENTS), 4,096
        // queued and 4,096 known transaction ids, 1,536 short ids (7 s of transactions at 200/s, far
        // more than a request's round trip): see perPeerIds().
        return new GossipConfig(Duration.ofMillis(20), 64, 2_048, 4_096, Duration.ofSeconds(2), 512,
                4, 5_000, 2_048, 4_096, 1_024, 20_000, 10_000, 20_000, Duration.ofSeconds(5), 64, 16, 50_000, 4, 1_024,
                1_536);
    }

    /**
     * The most ids gossip holds for one peer (queued, tracked or parked short ids, known transactions,
     * known blocks, the link's short id table):
     * what a peer can make us keep by announcing fresh ids. Rationale: each bound is only a hint
     * (forgetting costs at most one redundant message), so they are sized so that 125 peers fit a
     * total of {@link #MAX_IDS_FOR_125_PEERS} entries (about 300 MB at ~150 bytes per entry at worst,
     * every id distinct; far less in practice as peers announce the same ids).
     */
    public long perPeerIds() {
        return (long) maxQueuedAnnouncements + maxTxAnnouncementsPerPeer + knownTxsPerPeer + knownBlocksPerPeer
                + shortIdsPerPeer;
    }

    /**
     * How long an unresolved short id waits at most for the requests in flight before it is
     * fetched from its announcer ({@link ParkedShortIds}): a quarter of the request timeout, so a
     * silent first announcer delays the others less than its timeout.
     */
    public Duration shortIdMaxWait() {
        return txRequestTimeout.dividedBy(4);
    }

    /** The budget {@link #perPeerIds()} × 125 must fit. */
    public static final long MAX_IDS_FOR_125_PEERS = 2_000_000;

    /**
     * Every duration (announce interval, request timeouts) {@code k} times longer: the network
     * simulator's time scale, whose links run k times slower, so the protocol's timers keep their
     * ratio to round trips (with k = 20 a round trip would otherwise equal the tx request timeout).
     */
    public GossipConfig slowedBy(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k < 1");
        }
        return withTimers(announceInterval.multipliedBy(k), txRequestTimeout.multipliedBy(k), blockRequestTimeout.multipliedBy(k));
    }

    public GossipConfig withBlockRequestTimeout(Duration timeout) {
        return withTimers(announceInterval, txRequestTimeout, timeout);
    }

    public GossipConfig withTxRequestTimeout(Duration timeout) {
        return withTimers(announceInterval, timeout, blockRequestTimeout);
    }

    public GossipConfig withAnnounceInterval(Duration interval) {
        return withTimers(interval, txRequestTimeout, blockRequestTimeout);
    }

    private GossipConfig withTimers(Duration announce, Duration txTimeout, Duration blockTimeout) {
        return new GossipConfig(announce, announceBatch, maxInventoryIds, maxQueuedAnnouncements, txTimeout,
                maxTxsPerRequest, maxTxRequestsPerPeer, maxTxAnnouncementsPerPeer, maxTxsInFlightPerPeer,
                knownTxsPerPeer, knownBlocksPerPeer, rejectedTxs, recentTxs, maxMempoolIds, blockTimeout,
                maxBlocksInFlight, maxAnnouncedBlocks, executorQueue, maxBlocksInFlightPerPeer, maxTxsValidating,
                shortIdsPerPeer);
    }
}
