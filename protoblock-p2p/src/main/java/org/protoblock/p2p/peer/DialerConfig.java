package org.protoblock.p2p.peer;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * Settings of {@link OutboundDialer}.
 *
 * @param autoConnect         dial seeds, anchors and address book entries to reach the targets
 * @param fullRelayTarget     outbound full-relay links to keep (8)
 * @param blockOnlyTarget     outbound block-only links to keep (2; counted apart, relay like full ones for now)
 * @param maxOutboundPerGroup outbound links into one address group (2)
 * @param maxPendingDials     dials in flight at once
 * @param tickInterval        how often the dialer looks at its targets
 * @param feelerInterval      how often a feeler tests an address from the new table (or a tried collision)
 * @param peerRequestInterval least time between GetPeers we send when we run out of addresses
 * @param reconnectBackoffMin first retry delay of seeds, manual peers and book entries; doubles per failure …
 * @param reconnectBackoffMax … up to this
 * @param anchorCount         outbound peers remembered across restarts and dialed first (2)
 * @param seeds               configured seed addresses (may be host names)
 * @param useBuiltInSeeds     also use the network's built-in seed list
 */
public record DialerConfig(boolean autoConnect, int fullRelayTarget, int blockOnlyTarget, int maxOutboundPerGroup,
                           int maxPendingDials, Duration tickInterval, Duration feelerInterval,
                           Duration peerRequestInterval, Duration reconnectBackoffMin, Duration reconnectBackoffMax,
                           int anchorCount, List<PeerAddress> seeds, boolean useBuiltInSeeds) {
    public DialerConfig {
        Objects.requireNonNull(tickInterval, "tickInterval");
        Objects.requireNonNull(feelerInterval, "feelerInterval");
        Objects.requireNonNull(peerRequestInterval, "peerRequestInterval");
        Objects.requireNonNull(reconnectBackoffMin, "reconnectBackoffMin");
        Objects.requireNonNull(reconnectBackoffMax, "reconnectBackoffMax");
        seeds = List.copyOf(seeds);
        if (fullRelayTarget < 0 || blockOnlyTarget < 0 || maxOutboundPerGroup < 1 || maxPendingDials < 1
                || anchorCount < 0 || tickInterval.isZero() || tickInterval.isNegative()) {
            throw new IllegalArgumentException("bad dialer config");
        }
    }

    public int outboundTarget() {
        return fullRelayTarget + blockOnlyTarget;
    }
}
