package org.protoblock.node.sp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HostRateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void aHostGetsItsBurstThenItsRate() throws Exception {
        HostRateLimiter limiter = new HostRateLimiter(10, 5, 100, now::get);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire(a)).as("burst %d", i).isTrue();
        }
        assertThat(limiter.tryAcquire(a)).isFalse();

        now.addAndGet(100_000_000L); // 0.1 s: one token at 10/s

        assertThat(limiter.tryAcquire(a)).isTrue();
        assertThat(limiter.tryAcquire(a)).isFalse();
    }

    @Test
    void hostsHaveBucketsOfTheirOwn() throws Exception {
        HostRateLimiter limiter = new HostRateLimiter(1, 1, 100, now::get);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        assertThat(limiter.tryAcquire(a)).isTrue();
        assertThat(limiter.tryAcquire(a)).isFalse();

        assertThat(limiter.tryAcquire(b)).isTrue();
    }

    @Test
    void itRemembersAtMostMaxHosts() throws Exception {
        HostRateLimiter limiter = new HostRateLimiter(1, 1, 3, now::get);
        for (int i = 0; i < 10; i++) {
            limiter.tryAcquire(InetAddress.getByName("192.0.2." + i));
        }

        assertThat(limiter.hosts()).isEqualTo(3);
    }
}
