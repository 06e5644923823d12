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
 * @param followerDelay             how long the follower end of a link holds an announcement back, dropping it
 *                                  when the leader's arrives first (see DeferredAnnouncements); zero: never
 */
public record GossipConfig(Duration announceInterval, int announceBatch, int maxInventoryIds,
                           int maxQueuedAnnouncements, Duration txRequestTimeout, int maxTxsPerRequest,
                           int maxTxRequestsPerPeer, int maxTxAnnouncementsPerPeer, int maxTxsInFlightPerPeer,
                           int knownTxsPerPeer, int knownBlocksPerPeer, int rejectedTxs, int recentTxs,
                           int maxMempoolIds, Duration blockRequestTimeout, int maxBlocksInFlight,
                           int maxAnnouncedBlocks, int executorQueue, int maxBlocksInFlightPerPeer,
                           int maxTxsValidating, int shortIdsPerPeer, Duration followerDelay) {

    public GossipConfig {
        Objects.requireNonNull(announceInterval, "announceInterval");
        Objects.requireNonNull(txRequestTimeout, "txRequestTimeout");
        Objects.requireNonNull(blockRequestTimeout, "blockRequestTimeout");
        Objects.requireNonNull(followerDelay, "followerDelay");
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
        // more than a request's round trip): see perPeerIds(). On an idle link the follower holds its
        // announcements 5 ms: at 20 tx/s on loopback that cut announcements per transaction per node
        // from 6.6 to 4.2-4.5 and loopback bytes by 17 %, p50 unchanged (BENCHMARKS.md).
        return new GossipConfig(Duration.ofMillis(20), 64, 2_048, 4_096, Duration.ofSeconds(2), 512,
                4, 5_000, 2_048, 4_096, 1_024, 20_000, 10_000, 20_000, Duration.ofSeconds(5), 64, 16, 50_000, 4, 1_024,
                1_536, Duration.ofMillis(5));
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
     * Every duration (announce interval, request timeouts, follower delay) {@code k} times longer: the network
     * simulator's time scale, whose links run k times slower, so the protocol's timers keep their
     * ratio to round trips (with k = 20 a round trip would otherwise equal the tx request timeout).
     */
    public GossipConfig slowedBy(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k < 1");
        }
        return withTimers(announceInterval.multipliedBy(k), txRequestTimeout.multipliedBy(k), blockRequestTimeout.multipliedBy(k),
                followerDelay.multipliedBy(k));
    }

    public GossipConfig withBlockRequestTimeout(Duration timeout) {
        return withTimers(announceInterval, txRequestTimeout, timeout, followerDelay);
    }

    public GossipConfig withTxRequestTimeout(Duration timeout) {
        return withTimers(announceInterval, timeout, blockRequestTimeout, followerDelay);
    }

    public GossipConfig withAnnounceInterval(Duration interval) {
        return withTimers(interval, txRequestTimeout, blockRequestTimeout, followerDelay);
    }

    public GossipConfig withFollowerDelay(Duration delay) {
        return withTimers(announceInterval, txRequestTimeout, blockRequestTimeout, delay);
    }

    private GossipConfig withTimers(Duration announce, Duration txTimeout, Duration blockTimeout, Duration follower) {
        return new GossipConfig(announce, announceBatch, maxInventoryIds, maxQueuedAnnouncements, txTimeout,
                maxTxsPerRequest, maxTxRequestsPerPeer, maxTxAnnouncementsPerPeer, maxTxsInFlightPerPeer,
                knownTxsPerPeer, knownBlocksPerPeer, rejectedTxs, recentTxs, maxMempoolIds, blockTimeout,
                maxBlocksInFlight, maxAnnouncedBlocks, executorQueue, maxBlocksInFlightPerPeer, maxTxsValidating,
                shortIdsPerPeer, follower);
    }
}
