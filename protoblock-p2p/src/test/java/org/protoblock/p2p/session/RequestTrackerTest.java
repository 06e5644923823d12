package org.protoblock.p2p.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestTrackerTest {
    private static RequestTracker.Pending pending() {
        return new RequestTracker.Pending(new CompletableFuture<>(), new CompletableFuture<>(), System.nanoTime());
    }

    @Test
    void capacityIsEnforcedAndEntriesLeaveOnce() {
        RequestTracker t = new RequestTracker(2);
        long a = t.nextId();
        long b = t.nextId();
        t.add(a, pending());
        t.add(b, pending());
        assertThat(t.isFull()).isTrue();
        assertThatThrownBy(() -> t.add(t.nextId(), pending())).isInstanceOf(IllegalStateException.class);
        var removed = t.remove(a);
        assertThat(removed).isPresent();
        assertThat(removed.get().timer().isCancelled()).isTrue();
        assertThat(t.remove(a)).isEmpty();
        assertThat(t.wasIssued(b)).isTrue();
        assertThat(t.wasIssued(0)).isFalse();
        assertThat(t.wasIssued(1000)).isFalse();
        assertThat(t.drain()).hasSize(1);
        assertThat(t.size()).isZero();
        t.sanityCheck();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void randomOperationsKeepTheInvariants(long seed) {
        Random rnd = new Random(seed);
        RequestTracker t = new RequestTracker(8);
        List<Long> open = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            if (!t.isFull() && rnd.nextBoolean()) {
                long id = t.nextId();
                t.add(id, pending());
                open.add(id);
            } else if (!open.isEmpty()) {
                long id = open.remove(rnd.nextInt(open.size()));
                assertThat(t.remove(id)).isPresent();
            }
            t.sanityCheck();
            assertThat(t.size()).isEqualTo(open.size());
        }
    }
}
