package org.protoblock.p2p.discovery;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link Discovery}: the address book, peer exchange and LAN beacons.
 *
 * @param addressBook            address book table sizes
 * @param flushInterval          how often the address book and anchors are written to the store (and on close)
 * @param getPeersBurst          GetPeers we answer per peer at once …
 * @param getPeersRefillPerSecond … and then at this rate; excess is refused with BUSY
 * @param addressBurst           addresses accepted per peer at once in unsolicited Peers …
 * @param addressRefillPerSecond … and then at this rate (Bitcoin: 1000 and 0.1/s); excess is ignored
 * @param advertiseInterval      how often a reachable node sends its own record to its peers
 * @param relayFanout            peers that a fresh record (or a node's own) is relayed to (2)
 * @param maxPeersPerResponse    records in one Peers answer
 * @param lan                    LAN beacons
 */
public record DiscoveryConfig(AddressBook.Limits addressBook, Duration flushInterval, int getPeersBurst,
                              double getPeersRefillPerSecond, int addressBurst, double addressRefillPerSecond,
                              Duration advertiseInterval, int relayFanout, int maxPeersPerResponse, LanConfig lan) {
    /** Records in one unsolicited Peers message; more is malformed. */
    public static final int MAX_PEERS_PER_MESSAGE = 1000;

    public DiscoveryConfig {
        Objects.requireNonNull(addressBook, "addressBook");
        Objects.requireNonNull(flushInterval, "flushInterval");
        Objects.requireNonNull(advertiseInterval, "advertiseInterval");
        Objects.requireNonNull(lan, "lan");
        if (getPeersBurst < 1 || getPeersRefillPerSecond < 0 || addressBurst < 1 || addressRefillPerSecond < 0
                || relayFanout < 0 || maxPeersPerResponse < 1 || maxPeersPerResponse > MAX_PEERS_PER_MESSAGE
                || flushInterval.isZero() || flushInterval.isNegative()
                || advertiseInterval.isZero() || advertiseInterval.isNegative()) {
            throw new IllegalArgumentException("bad discovery config");
        }
    }

    public static DiscoveryConfig defaults() {
        return new DiscoveryConfig(AddressBook.Limits.defaults(), Duration.ofMinutes(1), 3, 1.0 / 300, 1000, 0.1,
                Duration.ofMinutes(10), 2, 250, LanConfig.defaults());
    }
}
