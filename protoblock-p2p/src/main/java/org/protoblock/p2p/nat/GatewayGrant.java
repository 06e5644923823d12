package org.protoblock.p2p.nat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * What a gateway granted in answer to one map request.
 *
 * @param external the outside address and port the gateway says forward to us (may be private)
 * @param lifetime how long the gateway keeps it; {@link Duration#ZERO} = permanent (UPnP lease 0)
 */
record GatewayGrant(InetSocketAddress external, Duration lifetime) {
    GatewayGrant {
        Objects.requireNonNull(external, "external");
        Objects.requireNonNull(lifetime, "lifetime");
    }

    boolean permanent() {
        return lifetime.isZero();
    }
}
