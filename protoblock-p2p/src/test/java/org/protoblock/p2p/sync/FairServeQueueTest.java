package org.protoblock.p2p.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FairServeQueueTest {
    private final FairServeQueue<String, String> queue = new FairServeQueue<>();

    private List<String> drain() {
        List<String> out = new ArrayList<>();
        for (var next = queue.poll(); next.isPresent(); next = queue.poll()) {
            out.add(next.get());
        }
        return out;
    }

    @Test
    void peersTakeTurnsWhateverTheirBacklog() {
        for (int i = 0; i < 20; i++) {
            assertThat(queue.offer("flooder", "f" + i, 256, 32)).isTrue();
        }
        queue.offer("honest", "h0", 256, 32);
        queue.offer("other", "o0", 256, 32);
        queue.offer("honest", "h1", 256, 32);
        assertThat(drain()).startsWith("f0", "h0", "o0", "f1", "h1", "f2", "f3").hasSize(23);
        assertThat(queue.sanityCheck()).isEmpty();
    }

    @Test
    void onePeerCannotFillTheSharedQueue() {
        int accepted = 0;
        for (int i = 0; i < 100; i++) {
            accepted += queue.offer("flooder", "f" + i, 64, 8) ? 1 : 0;
        }
        assertThat(accepted).isEqualTo(8);
        assertThat(queue.offer("honest", "h", 64, 8)).isTrue();
        for (int p = 0; p < 20; p++) {
            for (int i = 0; i < 8; i++) {
                queue.offer("p" + p, "x", 64, 8);
            }
        }
        assertThat(queue.size()).isEqualTo(64);
        assertThat(queue.offer("late", "l", 64, 8)).isFalse();
        assertThat(queue.sanityCheck()).isEmpty();
    }

    @Test
    void randomOffersAndPollsKeepTheInvariantsAndLoseNothing() {
        Random random = new Random(7);
        int offered = 0;
        int polled = 0;
        for (int step = 0; step < 10_000; step++) {
            if (random.nextInt(3) > 0) {
                offered += queue.offer("p" + random.nextInt(10), "x", 50, 10) ? 1 : 0;
            } else {
                polled += queue.poll().isPresent() ? 1 : 0;
            }
            assertThat(queue.size()).isEqualTo(offered - polled).isLessThanOrEqualTo(50);
        }
        assertThat(queue.sanityCheck()).isEmpty();
        assertThat(drain()).hasSize(offered - polled);
    }
}
