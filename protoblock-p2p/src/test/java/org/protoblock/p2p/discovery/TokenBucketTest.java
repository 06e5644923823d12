package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void startsFullAndGrantsAtMostWhatItHolds() {
        TokenBucket b = new TokenBucket(1000, 0.1, 0);
        assertThat(b.take(600, 0)).isEqualTo(600);
        assertThat(b.take(600, 0)).isEqualTo(400);
        assertThat(b.take(1, 0)).isZero();
        assertThat(b.tryTake(0)).isFalse();
    }

    @Test
    void refillsAtItsRateUpToCapacity() {
        TokenBucket b = new TokenBucket(10, 2, 0);
        b.take(10, 0);
        assertThat(b.take(100, SECOND)).isEqualTo(2);
        assertThat(b.take(100, 3 * SECOND)).isEqualTo(4);
        assertThat(b.take(100, 1000 * SECOND)).isEqualTo(10);
    }

    @Test
    void timeGoingBackwardsGrantsNothingExtra() {
        TokenBucket b = new TokenBucket(5, 1, 10 * SECOND);
        b.take(5, 10 * SECOND);
        assertThat(b.take(5, 5 * SECOND)).isZero();
        assertThat(b.take(5, 11 * SECOND)).isEqualTo(1);
    }

    @Test
    void creditIsCappedAtCapacity() {
        TokenBucket b = new TokenBucket(5, 0, 0);
        b.take(5, 0);
        b.credit(100, 0);
        assertThat(b.available(0)).isEqualTo(5.0);
    }

    @Test
    void aFloodIsHeldToBurstPlusRate() {
        TokenBucket b = new TokenBucket(1000, 0.1, 0);
        long granted = 0;
        for (int i = 0; i < 100; i++) {
            granted += b.take(1000, i * SECOND); // 100,000 asked over 100 s
        }
        assertThat(granted).isBetween(1000L, 1010L);
    }
}
