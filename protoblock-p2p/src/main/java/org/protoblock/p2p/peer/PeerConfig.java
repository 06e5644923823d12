package org.protoblock.p2p.peer;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.protoblock.p2p.discovery.AddressBook;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * Settings of peer management, peer exchange and LAN discovery. {@link #defaults()} is what a
 * public node runs; {@link #manual()} (the default of {@code P2pNode.create} without a config)
 * dials nobody on its own and sends no beacons, for tests that build their topology by hand.
 *
 * @param autoConnect           dial seeds, anchors and address book entries to reach the targets
 * @param fullRelayTarget       outbound full-relay links to keep (8)
 * @param blockOnlyTarget       outbound block-only links to keep (2; counted apart, relay like full ones for now)
 * @param maxInbound            inbound links; one more makes us evict (keep it below P2pConfig.maxSessions minus the outbound targets)
 * @param maxOutboundPerGroup   outbound links into one address group (2)
 * @param maxPendingDials       dials in flight at once
 * @param tickInterval          how often the manager looks at its targets
 * @param feelerInterval        how often a feeler tests an address from the new table (or a tried collision)
 * @param flushInterval         how often the address book and anchors are written to the store (and on close)
 * @param peerRequestInterval   least time between GetPeers we send when we run out of addresses
 * @param reconnectBackoffMin   first retry delay of seeds and manual peers; doubles per failure …
 * @param reconnectBackoffMax   … up to this
 * @param banDuration           how long a misbehaving peer is banned (24 h)
 * @param anchorCount           outbound peers remembered across restarts and dialed first (2)
 * @param seeds                 configured seed addresses (may be host names)
 * @param useBuiltInSeeds       also use the network's built-in seed list
 * @param getPeersBurst         GetPeers we answer per peer at once …
 * @param getPeersRefillPerSecond … and then at this rate; excess is refused with BUSY
 * @param addressBurst          addresses accepted per peer at once in unsolicited Peers …
 * @param addressRefillPerSecond … and then at this rate (Bitcoin: 1000 and 0.1/s); excess is ignored
 * @param advertiseInterval     how often a reachable node sends its own record to its peers
 * @param relayFanout           peers that a fresh self-advertisement is relayed to (2)
 * @param maxPeersPerResponse   records in one Peers answer
 * @param lanEnabled            send and receive LAN multicast beacons
 * @param lanGroup              multicast group (IPv4 literal)
 * @param lanPort               multicast port
 * @param lanInterval           beacon period
 * @param lanInterfaces         network interface names to use; empty = every up, multicast-capable one
 * @param addressBook           address book table sizes
 */
public record PeerConfig(
        boolean autoConnect,
        int fullRelayTarget,
        int blockOnlyTarget,
        int maxInbound,
        int maxOutboundPerGroup,
        int maxPendingDials,
        Duration tickInterval,
        Duration feelerInterval,
        Duration flushInterval,
        Duration peerRequestInterval,
        Duration reconnectBackoffMin,
        Duration reconnectBackoffMax,
        Duration banDuration,
        int anchorCount,
        List<PeerAddress> seeds,
        boolean useBuiltInSeeds,
        int getPeersBurst,
        double getPeersRefillPerSecond,
        int addressBurst,
        double addressRefillPerSecond,
        Duration advertiseInterval,
        int relayFanout,
        int maxPeersPerResponse,
        boolean lanEnabled,
        String lanGroup,
        int lanPort,
        Duration lanInterval,
        List<String> lanInterfaces,
        AddressBook.Limits addressBook) {

    public static final int MAX_PEERS_PER_MESSAGE = 1000;

    public PeerConfig {
        Objects.requireNonNull(tickInterval, "tickInterval");
        Objects.requireNonNull(feelerInterval, "feelerInterval");
        Objects.requireNonNull(flushInterval, "flushInterval");
        Objects.requireNonNull(peerRequestInterval, "peerRequestInterval");
        Objects.requireNonNull(reconnectBackoffMin, "reconnectBackoffMin");
        Objects.requireNonNull(reconnectBackoffMax, "reconnectBackoffMax");
        Objects.requireNonNull(banDuration, "banDuration");
        Objects.requireNonNull(advertiseInterval, "advertiseInterval");
        Objects.requireNonNull(lanGroup, "lanGroup");
        Objects.requireNonNull(lanInterval, "lanInterval");
        Objects.requireNonNull(addressBook, "addressBook");
        seeds = List.copyOf(seeds);
        lanInterfaces = List.copyOf(lanInterfaces);
        if (fullRelayTarget < 0 || blockOnlyTarget < 0 || maxInbound < 0 || maxOutboundPerGroup < 1 || maxPendingDials < 1
                || anchorCount < 0 || getPeersBurst < 1 || addressBurst < 1 || relayFanout < 0
                || maxPeersPerResponse < 1 || maxPeersPerResponse > MAX_PEERS_PER_MESSAGE
                || lanPort < 1 || lanPort > 65535 || tickInterval.isZero() || tickInterval.isNegative()) {
            throw new IllegalArgumentException("bad peer config");
        }
    }

    public int outboundTarget() {
        return fullRelayTarget + blockOnlyTarget;
    }

    public static PeerConfig defaults() {
        return new Builder().build();
    }

    /** No automatic dials and no LAN beacons; bans, inbound caps, the address book and peer exchange still work. */
    public static PeerConfig manual() {
        return new Builder().autoConnect(false).lanEnabled(false).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.autoConnect = autoConnect;
        b.fullRelayTarget = fullRelayTarget;
        b.blockOnlyTarget = blockOnlyTarget;
        b.maxInbound = maxInbound;
        b.maxOutboundPerGroup = maxOutboundPerGroup;
        b.maxPendingDials = maxPendingDials;
        b.tickInterval = tickInterval;
        b.feelerInterval = feelerInterval;
        b.flushInterval = flushInterval;
        b.peerRequestInterval = peerRequestInterval;
        b.reconnectBackoffMin = reconnectBackoffMin;
        b.reconnectBackoffMax = reconnectBackoffMax;
        b.banDuration = banDuration;
        b.anchorCount = anchorCount;
        b.seeds = seeds;
        b.useBuiltInSeeds = useBuiltInSeeds;
        b.getPeersBurst = getPeersBurst;
        b.getPeersRefillPerSecond = getPeersRefillPerSecond;
        b.addressBurst = addressBurst;
        b.addressRefillPerSecond = addressRefillPerSecond;
        b.advertiseInterval = advertiseInterval;
        b.relayFanout = relayFanout;
        b.maxPeersPerResponse = maxPeersPerResponse;
        b.lanEnabled = lanEnabled;
        b.lanGroup = lanGroup;
        b.lanPort = lanPort;
        b.lanInterval = lanInterval;
        b.lanInterfaces = lanInterfaces;
        b.addressBook = addressBook;
        return b;
    }

    public static final class Builder {
        private boolean autoConnect = true;
        private int fullRelayTarget = 8;
        private int blockOnlyTarget = 2;
        private int maxInbound = 110;
        private int maxOutboundPerGroup = 2;
        private int maxPendingDials = 8;
        private Duration tickInterval = Duration.ofSeconds(1);
        private Duration feelerInterval = Duration.ofMinutes(2);
        private Duration flushInterval = Duration.ofMinutes(1);
        private Duration peerRequestInterval = Duration.ofSeconds(30);
        private Duration reconnectBackoffMin = Duration.ofSeconds(1);
        private Duration reconnectBackoffMax = Duration.ofMinutes(5);
        private Duration banDuration = Duration.ofHours(24);
        private int anchorCount = 2;
        private List<PeerAddress> seeds = List.of();
        private boolean useBuiltInSeeds = true;
        private int getPeersBurst = 3;
        private double getPeersRefillPerSecond = 1.0 / 300;
        private int addressBurst = 1000;
        private double addressRefillPerSecond = 0.1;
        private Duration advertiseInterval = Duration.ofMinutes(10);
        private int relayFanout = 2;
        private int maxPeersPerResponse = 250;
        private boolean lanEnabled = true;
        private String lanGroup = "239.255.81.25";
        private int lanPort = 8126;
        private Duration lanInterval = Duration.ofSeconds(30);
        private List<String> lanInterfaces = List.of();
        private AddressBook.Limits addressBook = AddressBook.Limits.defaults();

        public Builder autoConnect(boolean v) {
            autoConnect = v;
            return this;
        }

        public Builder outboundTargets(int fullRelay, int blockOnly) {
            fullRelayTarget = fullRelay;
            blockOnlyTarget = blockOnly;
            return this;
        }

        public Builder maxInbound(int v) {
            maxInbound = v;
            return this;
        }

        public Builder maxOutboundPerGroup(int v) {
            maxOutboundPerGroup = v;
            return this;
        }

        public Builder maxPendingDials(int v) {
            maxPendingDials = v;
            return this;
        }

        public Builder tickInterval(Duration v) {
            tickInterval = v;
            return this;
        }

        public Builder feelerInterval(Duration v) {
            feelerInterval = v;
            return this;
        }

        public Builder flushInterval(Duration v) {
            flushInterval = v;
            return this;
        }

        public Builder peerRequestInterval(Duration v) {
            peerRequestInterval = v;
            return this;
        }

        public Builder reconnectBackoff(Duration min, Duration max) {
            reconnectBackoffMin = min;
            reconnectBackoffMax = max;
            return this;
        }

        public Builder banDuration(Duration v) {
            banDuration = v;
            return this;
        }

        public Builder anchorCount(int v) {
            anchorCount = v;
            return this;
        }

        public Builder seeds(List<PeerAddress> v) {
            seeds = v;
            return this;
        }

        public Builder useBuiltInSeeds(boolean v) {
            useBuiltInSeeds = v;
            return this;
        }

        public Builder getPeersRate(int burst, double refillPerSecond) {
            getPeersBurst = burst;
            getPeersRefillPerSecond = refillPerSecond;
            return this;
        }

        public Builder addressRate(int burst, double refillPerSecond) {
            addressBurst = burst;
            addressRefillPerSecond = refillPerSecond;
            return this;
        }

        public Builder advertiseInterval(Duration v) {
            advertiseInterval = v;
            return this;
        }

        public Builder relayFanout(int v) {
            relayFanout = v;
            return this;
        }

        public Builder maxPeersPerResponse(int v) {
            maxPeersPerResponse = v;
            return this;
        }

        public Builder lanEnabled(boolean v) {
            lanEnabled = v;
            return this;
        }

        public Builder lan(String group, int port, Duration interval, List<String> interfaces) {
            lanGroup = group;
            lanPort = port;
            lanInterval = interval;
            lanInterfaces = interfaces;
            return this;
        }

        public Builder addressBook(AddressBook.Limits v) {
            addressBook = v;
            return this;
        }

        public PeerConfig build() {
            return new PeerConfig(autoConnect, fullRelayTarget, blockOnlyTarget, maxInbound, maxOutboundPerGroup,
                    maxPendingDials, tickInterval, feelerInterval, flushInterval, peerRequestInterval, reconnectBackoffMin,
                    reconnectBackoffMax, banDuration, anchorCount, seeds, useBuiltInSeeds, getPeersBurst,
                    getPeersRefillPerSecond, addressBurst, addressRefillPerSecond, advertiseInterval, relayFanout,
                    maxPeersPerResponse, lanEnabled, lanGroup, lanPort, lanInterval, lanInterfaces, addressBook);
        }
    }
}
