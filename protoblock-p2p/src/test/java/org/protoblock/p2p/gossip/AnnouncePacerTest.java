package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Nagle-like rule of {@link AnnouncePacer}, on a clock the test controls (nanoseconds). */
class AnnouncePacerTest {
    private static final long MS = 1_000_000;
    private static final long INTERVAL = 50 * MS;

    @Test
    void anIdleLinkAnnouncesAtOnce() {
        AnnouncePacer pacer = new AnnouncePacer(INTERVAL, 64);
        pacer.queued(0);
        assertThat(pacer.shouldSend(0, 1, true)).as("never sent, queue empty").isTrue();
        pacer.sent(0);
        pacer.queued(60 * MS);
        assertThat(pacer.shouldSend(60 * MS, 1, true)).as("quiet for more than an interval").isTrue();
    }

    @Test
    void aLinkIsIdleOnlyWhenQuietForAnIntervalWithNothingQueued() {
        AnnouncePacer pacer = new AnnouncePacer(INTERVAL, 64);
        assertThat(pacer.idle(0, true)).as("never sent").isTrue();
        assertThat(pacer.idle(0, false)).as("bytes still queued to the peer").isFalse();
        pacer.sent(10 * MS);
        assertThat(pacer.idle(59 * MS, true)).as("announced within the interval").isFalse();
        assertThat(pacer.idle(60 * MS, true)).isTrue();
    }

    @Test
    void withinTheIntervalIdsAccumulateUntilItPasses() {
        AnnouncePacer pacer = new AnnouncePacer(INTERVAL, 64);
        pacer.sent(100 * MS);
        pacer.queued(110 * MS);
        assertThat(pacer.shouldSend(110 * MS, 1, true)).isFalse();
        assertThat(pacer.nextCheckNanos(110 * MS, true)).isEqualTo(150 * MS);
        assertThat(pacer.shouldSend(149 * MS, 5, true)).isFalse();
        assertThat(pacer.shouldSend(150 * MS, 5, true)).isTrue();
    }

    @Test
    void aFullBatchGoesOutAtOnceEvenOnABusyLink() {
        AnnouncePacer pacer = new AnnouncePacer(INTERVAL, 8);
        pacer.sent(0);
        pacer.queued(1 * MS);
        assertThat(pacer.shouldSend(1 * MS, 7, false)).isFalse();
        assertThat(pacer.shouldSend(1 * MS, 8, false)).isTrue();
    }

    @Test
    void bytesStillQueuedMakeTheOldestIdWaitOneInterval() {
        AnnouncePacer pacer = new AnnouncePacer(INTERVAL, 64);
        pacer.sent(0);
        pacer.queued(200 * MS); // quiet for long, but the link is still writing (bodies)
        assertThat(pacer.shouldSend(200 * MS, 1, false)).isFalse();
        assertThat(pacer.nextCheckNanos(200 * MS, false)).isEqualTo(250 * MS);
        assertThat(pacer.shouldSend(230 * MS, 1, true)).as("the queue drained: idle").isTrue();
        assertThat(pacer.shouldSend(250 * MS, 1, false)).as("waited one interval").isTrue();
    }

    @Test
    void nothingPendingIsNeverSent() {
        AnnouncePacer pacer = new AnnouncePacer(INTERVAL, 64);
        assertThat(pacer.shouldSend(0, 0, true)).isFalse();
    }

    /**
     * Randomized: ids arrive at random times; the caller follows the pacer as TxGossip does. Then
     * no two messages are closer than the interval unless the second is a full batch, and no id
     * waits longer than one interval (the queue is empty throughout) — nor at all when the link
     * was quiet for an interval.
     */
    @Test
    void randomArrivalsKeepTheRateBoundAndTheDelayBound() {
        for (long seed = 0; seed < 50; seed++) {
            Random random = new Random(seed);
            int batch = 1 + random.nextInt(16);
            AnnouncePacer pacer = new AnnouncePacer(INTERVAL, batch);
            List<Long> pendingSince = new ArrayList<>();
            long lastSend = Long.MIN_VALUE / 2;
            long nextCheck = Long.MAX_VALUE;
            long now = 0;
            for (int step = 0; step < 2_000; step++) {
                long arrival = now + (long) (random.nextDouble() * (random.nextBoolean() ? 5 : 120) * MS);
                // the scheduled re-check fires first if it is due before the next arrival
                if (nextCheck <= arrival) {
                    now = nextCheck;
                    nextCheck = Long.MAX_VALUE;
                } else {
                    now = arrival;
                    if (pendingSince.isEmpty() && now - lastSend >= INTERVAL) {
                        pacer.queued(now);
                        assertThat(pacer.shouldSend(now, 1, true)).as("seed %d: idle link", seed).isTrue();
                    } else {
                        pacer.queued(now);
                    }
                    pendingSince.add(now);
                }
                if (pacer.shouldSend(now, pendingSince.size(), true)) {
                    assertThat(now - lastSend >= INTERVAL || pendingSince.size() >= batch).as("seed %d: rate bound", seed).isTrue();
                    for (long since : pendingSince) {
                        assertThat(now - since).as("seed %d: delay bound", seed).isLessThanOrEqualTo(INTERVAL);
                    }
                    pendingSince.clear();
                    pacer.sent(now);
                    lastSend = now;
                    nextCheck = Long.MAX_VALUE;
                } else if (nextCheck == Long.MAX_VALUE) {
                    nextCheck = pacer.nextCheckNanos(now, true);
                    assertThat(nextCheck).as("seed %d: re-check in the future", seed).isGreaterThan(now);
                }
            }
        }
    }
}
