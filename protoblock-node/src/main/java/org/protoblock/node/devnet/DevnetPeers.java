package org.protoblock.node.devnet;

import java.time.Duration;
import java.util.List;
import org.protoblock.p2p.peer.PeerConfig;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * Peer management of a devnet node: the real one (seeds, address book, peer exchange, dialer),
 * with LAN beacons and built-in seeds off (every node is in this JVM and knows its seed) and the
 * timers of a demo that lasts seconds, not days.
 */
final class DevnetPeers {
    private DevnetPeers() {
    }

    static PeerConfig config(List<PeerAddress> seeds) {
        return PeerConfig.defaults().toBuilder()
                .seeds(seeds)
                .useBuiltInSeeds(false)
                .lanEnabled(false)
                .tickInterval(Duration.ofMillis(200))
                .peerRequestInterval(Duration.ofSeconds(2))
                .reconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .build();
    }
}
