package org.protoblock.p2p.peer;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.protoblock.p2p.discovery.AddressBook;
import org.protoblock.p2p.discovery.DiscoveryConfig;
import org.protoblock.p2p.discovery.LanConfig;
import org.protoblock.p2p.reachability.ReachabilityConfig;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * The settings of peer management, one record per component: {@link DialerConfig} (outbound dials,
 * seeds, anchors, feelers), {@link AdmissionConfig} (inbound slots), {@link BanConfig} and
 * {@link DiscoveryConfig} (address book, peer exchange, LAN beacons), {@link ReachabilityConfig} (port
 * mapping, dial-back checks). {@link #defaults()} is what a public node runs; {@link #manual()} (the
 * default of {@code P2pNode.create} without a config) dials nobody on its own, sends no beacons and
 * asks no gateway for a port, for tests that build their topology by hand. The
 * {@link Builder} sets any of them by name.
 */
public record PeerConfig(DialerConfig dialer, AdmissionConfig admission, BanConfig bans, DiscoveryConfig discovery,
                         ReachabilityConfig reachability) {
    public PeerConfig {
        Objects.requireNonNull(reachability, "reachability");
        Objects.requireNonNull(dialer, "dialer");
        Objects.requireNonNull(admission, "admission");
        Objects.requireNonNull(bans, "bans");
        Objects.requireNonNull(discovery, "discovery");
    }

    public static PeerConfig defaults() {
        return new Builder().build();
    }

    /** No automatic dials and no LAN beacons; bans, inbound caps, the address book and peer exchange still work. */
    public static PeerConfig manual() {
        return new Builder().autoConnect(false).lanEnabled(false).portMapping(false).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.autoConnect = dialer.autoConnect();
        b.fullRelayTarget = dialer.fullRelayTarget();
        b.blockOnlyTarget = dialer.blockOnlyTarget();
        b.maxOutboundPerGroup = dialer.maxOutboundPerGroup();
        b.maxPendingDials = dialer.maxPendingDials();
        b.tickInterval = dialer.tickInterval();
        b.feelerInterval = dialer.feelerInterval();
        b.peerRequestInterval = dialer.peerRequestInterval();
        b.reconnectBackoffMin = dialer.reconnectBackoffMin();
        b.reconnectBackoffMax = dialer.reconnectBackoffMax();
        b.anchorCount = dialer.anchorCount();
        b.seeds = dialer.seeds();
        b.useBuiltInSeeds = dialer.useBuiltInSeeds();
        b.maxInbound = admission.maxInbound();
        b.banDuration = bans.banDuration();
        b.flushInterval = discovery.flushInterval();
        b.getPeersBurst = discovery.getPeersBurst();
        b.getPeersRefillPerSecond = discovery.getPeersRefillPerSecond();
        b.addressBurst = discovery.addressBurst();
        b.addressRefillPerSecond = discovery.addressRefillPerSecond();
        b.advertiseInterval = discovery.advertiseInterval();
        b.relayFanout = discovery.relayFanout();
        b.maxPeersPerResponse = discovery.maxPeersPerResponse();
        b.lanEnabled = discovery.lan().enabled();
        b.lanGroup = discovery.lan().group();
        b.lanPort = discovery.lan().port();
        b.lanInterval = discovery.lan().interval();
        b.lanInterfaces = discovery.lan().interfaces();
        b.addressBook = discovery.addressBook();
        b.reachability = reachability;
        return b;
    }

    /** Defaults of a public node; each setter names the component record it lands in. */
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
        private ReachabilityConfig reachability = ReachabilityConfig.defaults();

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

        /** Whether to ask the gateway for a port mapping ({@code --nat auto|off}). */
        public Builder portMapping(boolean v) {
            reachability = reachability.withPortMapping(v);
            return this;
        }

        public Builder reachability(ReachabilityConfig v) {
            reachability = v;
            return this;
        }

        public PeerConfig build() {
            return new PeerConfig(
                    new DialerConfig(autoConnect, fullRelayTarget, blockOnlyTarget, maxOutboundPerGroup, maxPendingDials,
                            tickInterval, feelerInterval, peerRequestInterval, reconnectBackoffMin, reconnectBackoffMax,
                            anchorCount, seeds, useBuiltInSeeds),
                    new AdmissionConfig(maxInbound),
                    new BanConfig(banDuration),
                    new DiscoveryConfig(addressBook, flushInterval, getPeersBurst, getPeersRefillPerSecond, addressBurst,
                            addressRefillPerSecond, advertiseInterval, relayFanout, maxPeersPerResponse,
                            new LanConfig(lanEnabled, lanGroup, lanPort, lanInterval, lanInterfaces)),
                    reachability);
        }
    }
}
