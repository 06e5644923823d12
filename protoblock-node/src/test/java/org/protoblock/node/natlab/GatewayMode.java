package org.protoblock.node.natlab;

import java.util.Optional;

/**
 * What the router's gateway daemon (miniupnpd) offers the home LAN. miniupnpd switches PCP and
 * NAT-PMP together and answers PCP first, so NAT-PMP alone is miniupnpd with a router rule that
 * drops PCP requests (version byte 2 on UDP 5351), as a NAT-PMP-only gateway would never answer.
 */
enum GatewayMode {
    NONE(false, false, false, Optional.empty()),
    PCP_ONLY(false, true, false, Optional.of("pcp")),
    NATPMP_ONLY(false, true, true, Optional.of("natpmp")),
    UPNP_ONLY(true, false, false, Optional.of("upnp"));

    final boolean upnp;
    final boolean natpmpAndPcp;
    final boolean dropPcp;
    /** The protocol a node's port mapper must end up with, as getnetworkinfo names it. */
    final Optional<String> protocol;

    GatewayMode(boolean upnp, boolean natpmpAndPcp, boolean dropPcp, Optional<String> protocol) {
        this.upnp = upnp;
        this.natpmpAndPcp = natpmpAndPcp;
        this.dropPcp = dropPcp;
        this.protocol = protocol;
    }

    boolean runsDaemon() {
        return upnp || natpmpAndPcp;
    }
}
