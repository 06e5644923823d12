package org.protoblock.p2p.nat;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When to renew a granted mapping. Rules (as Bitcoin Core 29's mapport does):
 * <ul>
 *   <li>Renew at a random point between 1/2 and 5/8 of the granted lifetime. Rationale: early
 *       enough that one lost renewal can be retried before expiry; random so that many nodes
 *       behind one gateway do not renew in step.</li>
 *   <li>A lifetime under {@link #MIN_LIFETIME} is refused. Rationale: renewing every few seconds
 *       costs more than it gives; such a gateway is treated as one that failed.</li>
 *   <li>A permanent grant (lifetime 0, UPnP only) is re-added every requested lifetime, which
 *       changes nothing at the gateway but notices a gateway that forgot it (a reboot).</li>
 * </ul>
 */
final class RenewalSchedule {
    static final Duration MIN_LIFETIME = Duration.ofSeconds(30);

    private RenewalSchedule() {
    }

    static boolean acceptable(GatewayGrant grant) {
        return grant.permanent() || grant.lifetime().compareTo(MIN_LIFETIME) >= 0;
    }

    /** The delay until the renewal of {@code grant}; the grant must be {@link #acceptable}. */
    static Duration renewAfter(GatewayGrant grant, Duration requested, RandomGenerator random) {
        Duration lifetime = grant.permanent() ? requested : grant.lifetime();
        long ms = lifetime.toMillis();
        long low = ms / 2;
        long high = ms * 5 / 8;
        return Duration.ofMillis(low + random.nextLong(high - low + 1));
    }
}
