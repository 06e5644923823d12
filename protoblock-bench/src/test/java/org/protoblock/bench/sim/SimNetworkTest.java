package org.protoblock.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.transport.LinkProfile;

class SimNetworkTest {
    @Test
    void linksAreSymmetricAndJitterStaysInItsBand() {
        SimNetwork net = new SimNetwork(Duration.ofMillis(50), 0.2, 1_000_000, 100);
        for (int a = 0; a < 20; a++) {
            for (int b = 0; b < 20; b++) {
                LinkProfile p = net.profile(a, b);
                assertThat(p).isEqualTo(net.profile(b, a));
                assertThat(p.latency()).isBetween(Duration.ofMillis(40), Duration.ofMillis(60));
                assertThat(p.bytesPerSecond()).isEqualTo(1_000_000);
            }
        }
        assertThat(net.profile(1, 2)).isNotEqualTo(net.profile(1, 3)); // jitter does vary per pair
    }

    @Test
    void partitionRefusesDialsAcrossUntilHealed() {
        SimNetwork net = new SimNetwork(Duration.ofMillis(50), 0, 0, 4);
        for (int i = 0; i < 4; i++) {
            net.register("n" + i, i);
        }
        net.partition(new int[] {0, 1, 0, 1});
        assertThat(net.profile("n0", "n2")).contains(new LinkProfile(Duration.ofMillis(50), 0));
        assertThat(net.profile("n0", "n1")).isEmpty();
        assertThat(net.profile("n0", "unknown")).isEmpty();
        net.heal();
        assertThat(net.profile("n0", "n1")).isPresent();
    }

    @Test
    void meterCountsBytesAtTheReceivingNode() {
        SimNetwork net = new SimNetwork(Duration.ZERO, 0, 0, 2);
        net.register("a", 0);
        net.register("b", 1);
        net.meter("a", "b").sent(100);    // a → b
        net.meter("a", "b").received(7);  // b → a
        assertThat(net.wireBytesIn(1)).isEqualTo(100);
        assertThat(net.wireBytesIn(0)).isEqualTo(7);
    }

    @Test
    void bandwidthSuffixes() {
        assertThat(SimConfig.parseBytes("12.5M")).isEqualTo(12_500_000);
        assertThat(SimConfig.parseBytes("64k")).isEqualTo(64_000);
        assertThat(SimConfig.parseBytes("0")).isZero();
    }
}
