package org.protoblock.p2p.nat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RenewalScheduleTest {
    private static final InetSocketAddress EXTERNAL = new InetSocketAddress("10.99.0.1", 8125);

    @ParameterizedTest
    @ValueSource(longs = {30, 31, 120, 2400, 86_400})
    void renewsBetweenHalfAndFiveEighthsOfTheGrantedLifetime(long seconds) {
        GatewayGrant grant = new GatewayGrant(EXTERNAL, Duration.ofSeconds(seconds));
        SplittableRandom random = new SplittableRandom(seconds);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2000; i++) {
            long ms = RenewalSchedule.renewAfter(grant, Duration.ofMinutes(40), random).toMillis();
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        assertThat(min).isGreaterThanOrEqualTo(seconds * 1000 / 2);
        assertThat(max).isLessThanOrEqualTo(seconds * 1000 * 5 / 8);
        assertThat(max - min).as("spread, not one fixed point").isGreaterThan(seconds * 1000 / 10);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 29})
    void grantsUnderThirtySecondsAreRefused(long seconds) {
        assertThat(RenewalSchedule.acceptable(new GatewayGrant(EXTERNAL, Duration.ofSeconds(seconds)))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 30})
    void permanentAndThirtySecondGrantsAreAccepted(long seconds) {
        assertThat(RenewalSchedule.acceptable(new GatewayGrant(EXTERNAL, Duration.ofSeconds(seconds)))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void permanentGrantsAreReAddedWithinTheRequestedLifetime(int seed) {
        Duration after = RenewalSchedule.renewAfter(new GatewayGrant(EXTERNAL, Duration.ZERO), Duration.ofMinutes(40), new SplittableRandom(seed));
        assertThat(after).isBetween(Duration.ofMinutes(20), Duration.ofMinutes(25));
    }
}
