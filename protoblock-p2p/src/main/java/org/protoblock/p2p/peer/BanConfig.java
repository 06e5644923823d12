package org.protoblock.p2p.peer;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link BanManager}.
 *
 * @param banDuration how long a misbehaving peer is banned (24 h)
 */
public record BanConfig(Duration banDuration) {
    public BanConfig {
        Objects.requireNonNull(banDuration, "banDuration");
    }
}
