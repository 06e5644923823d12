package org.protoblock.p2p.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of {@link LanDiscovery}.
 *
 * @param enabled    send and receive LAN multicast beacons
 * @param group      multicast group (IPv4 literal)
 * @param port       multicast port
 * @param interval   beacon period
 * @param interfaces network interface names to use; empty = every up, multicast-capable one
 */
public record LanConfig(boolean enabled, String group, int port, Duration interval, List<String> interfaces) {
    public LanConfig {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(interval, "interval");
        interfaces = List.copyOf(interfaces);
        if (port < 1 || port > 65535 || interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("bad LAN discovery config");
        }
    }

    public static LanConfig defaults() {
        return new LanConfig(true, "239.255.81.25", 8126, Duration.ofSeconds(30), List.of());
    }

    public LanConfig withEnabled(boolean on) {
        return new LanConfig(on, group, port, interval, interfaces);
    }
}
