package org.protoblock.p2p.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what the p2p protocols received and sent, for tests (gossip efficiency) and for the
 * node's Prometheus metrics. Thread-safe, lock-free.
 */
public final class P2pMetrics {
    /** Transaction bodies received from peers, including duplicates. */
    public final LongAdder txBodiesReceived = new LongAdder();
    /** … of which we already had (mempool or chain): the waste gossip tries to avoid. */
    public final LongAdder txBodiesDuplicate = new LongAdder();
    /** Full block bodies received (sync and gossip). */
    public final LongAdder blocksReceived = new LongAdder();
    /** … of which we already had. */
    public final LongAdder blocksDuplicate = new LongAdder();
    /** Blocks rebuilt from a compact announcement without fetching the body. */
    public final LongAdder compactBlocksRebuilt = new LongAdder();
    /** Blocks applied by sync. */
    public final LongAdder blocksSynced = new LongAdder();
    /** Announcements (inventory items) received and sent. */
    public final LongAdder announcementsReceived = new LongAdder();
    public final LongAdder announcementsSent = new LongAdder();
    /** Bytes of transaction and block bodies received. */
    public final LongAdder bodyBytesReceived = new LongAdder();
}
