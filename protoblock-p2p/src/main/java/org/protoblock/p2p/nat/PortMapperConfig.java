package org.protoblock.p2p.nat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the {@link PortMapper} asks its gateway for a port.
 *
 * @param requestedLifetime the lease asked for (gateways may grant less); renewed before it ends
 * @param replyTimeout how long one try waits for the gateway's answer
 * @param tries tries per protocol before it counts as "not answering"
 * @param retryAfterFailure wait before starting over when no protocol gave a mapping, or one was lost
 * @param gateway the gateway to ask; empty = the default route of the routing table
 * @param upnp whether UPnP-IGD is tried when neither PCP nor NAT-PMP answers
 */
public record PortMapperConfig(Duration requestedLifetime, Duration replyTimeout, int tries, Duration retryAfterFailure,
                               Optional<InetAddress> gateway, boolean upnp) {
    public PortMapperConfig {
        Objects.requireNonNull(gateway, "gateway");
        if (requestedLifetime.toSeconds() < RenewalSchedule.MIN_LIFETIME.toSeconds() || requestedLifetime.toSeconds() > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("requested lifetime out of range: " + requestedLifetime);
        }
        if (replyTimeout.isNegative() || replyTimeout.isZero() || replyTimeout.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("reply timeout out of range: " + replyTimeout);
        }
        if (tries < 1 || tries > 10) {
            throw new IllegalArgumentException("tries out of range: " + tries);
        }
        if (retryAfterFailure.isNegative() || retryAfterFailure.isZero()) {
            throw new IllegalArgumentException("retryAfterFailure must be positive: " + retryAfterFailure);
        }
    }

    /** Bitcoin Core 29's choices: 40 min asked, 3 tries of 1 s, retry every 5 min; UPnP as the last resort. */
    public static PortMapperConfig defaults() {
        return new PortMapperConfig(Duration.ofMinutes(40), Duration.ofSeconds(1), 3, Duration.ofMinutes(5), Optional.empty(), true);
    }

    /** Time one protocol may take before it counts as not answering. */
    Duration tryBudget() {
        return replyTimeout.multipliedBy(tries);
    }
}
