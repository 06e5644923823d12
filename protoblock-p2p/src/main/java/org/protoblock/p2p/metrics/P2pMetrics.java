package org.protoblock.p2p.metrics;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
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
    // ---- sync (org.protoblock.p2p.sync)
    /** Headers received and validated by sync. */
    public final LongAdder headersReceived = new LongAdder();
    /** GetBlocks requests of sync that timed out. */
    public final LongAdder syncRequestsTimedOut = new LongAdder();
    /** Headers and blocks we served to peers. */
    public final LongAdder headersServed = new LongAdder();
    public final LongAdder blocksServed = new LongAdder();
    // ---- gossip (org.protoblock.p2p.gossip)
    /** Bytes of gossip envelopes received (announcements, requests and responses of tx/block gossip and mempool sync). */
    public final LongAdder gossipBytesReceived = new LongAdder();
    // ---- discovery and peer management (org.protoblock.p2p.discovery, org.protoblock.p2p.peer)
    /** Peer records received in Peers messages (solicited or not). */
    public final LongAdder addressesReceived = new LongAdder();
    /** … of which dropped by the per-peer address rate limit. */
    public final LongAdder addressesRateLimited = new LongAdder();
    /** Records of unsolicited Peers messages that passed the rate limit. */
    public final LongAdder addressesAccepted = new LongAdder();
    /** … of which became new address book entries. */
    public final LongAdder addressesAdded = new LongAdder();
    /** GetPeers we answered, and refused (rate limit). */
    public final LongAdder getPeersServed = new LongAdder();
    public final LongAdder getPeersRefused = new LongAdder();
    /** LAN beacons read (after the beacon rate limit, before checks). */
    public final LongAdder lanBeaconsReceived = new LongAdder();
    /** Dials started by the peer manager, and those that failed. */
    public final LongAdder outboundDials = new LongAdder();
    public final LongAdder outboundDialFailures = new LongAdder();
    /** Our own records sent to outbound peers after the handshake. */
    public final LongAdder selfAdvertisements = new LongAdder();
    /** Feeler links that completed their handshake. */
    public final LongAdder feelers = new LongAdder();
    /** Inbound peers evicted because inbound slots were full. */
    public final LongAdder inboundEvicted = new LongAdder();
    /** Links from banned peers closed on connect. */
    public final LongAdder bannedRefused = new LongAdder();
    // ---- reachability (org.protoblock.p2p.reachability)
    /** Dial-backs we ran for other nodes' checks that reached them, that failed, and requests we refused. */
    public final LongAdder dialBacksSucceeded = new LongAdder();
    public final LongAdder dialBacksFailed = new LongAdder();
    public final LongAdder dialBacksRefused = new LongAdder();
    /** Dial-backs we asked peers for, and those that proved an address reachable (nonce received). */
    public final LongAdder dialBacksRequested = new LongAdder();
    public final LongAdder dialBacksConfirmed = new LongAdder();
    // ---- circuit relay (org.protoblock.p2p.relay)
    /** Reservations we granted others (and refreshes), and those refused over our limits. */
    public final LongAdder relayReservationsGranted = new LongAdder();
    public final LongAdder relayReservationsRefused = new LongAdder();
    // (circuits spliced and bytes relayed: relay.CircuitSwitch, which exists before the node)
    /** Relayed links we made or took as an end (not as the relay). */
    public final LongAdder relayedLinks = new LongAdder();
    // ---- hole punching (org.protoblock.p2p.holepunch)
    /** Hole-punch attempts we took part in (dials of the peer's addresses started), and those that gave a direct link. */
    public final LongAdder holePunchAttempts = new LongAdder();
    public final LongAdder holePunchSuccesses = new LongAdder();
    /** Attempts that failed, by reason (a key for every reason). */
    public final Map<HolePunchFailure, LongAdder> holePunchFailures = failureCounters();

    private static Map<HolePunchFailure, LongAdder> failureCounters() {
        Map<HolePunchFailure, LongAdder> m = new EnumMap<>(HolePunchFailure.class);
        Arrays.stream(HolePunchFailure.values()).forEach(r -> m.put(r, new LongAdder()));
        return Collections.unmodifiableMap(m);
    }
}
