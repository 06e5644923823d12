package org.protoblock.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ShortestPathsTest {
    /**
     * <pre>
     *   0 --10-- 1 --10-- 2
     *   |                 |
     *   50               5
     *   |                 |
     *   3 -------5------- 4        5 (isolated)
     * </pre>
     * Latencies in ms; 1,000 B/s everywhere, so a 100-byte message adds 100 ms per hop.
     */
    private static LinkGraph sample(long bytesPerSecond) {
        LinkGraph g = new LinkGraph(6);
        g.add(0, 1, 10, bytesPerSecond);
        g.add(1, 2, 10, bytesPerSecond);
        g.add(2, 4, 5, bytesPerSecond);
        g.add(4, 3, 5, bytesPerSecond);
        g.add(0, 3, 50, bytesPerSecond);
        return g;
    }

    @Test
    void latencyOnlyTakesTheCheapestPath() {
        double[] d = ShortestPaths.from(sample(0), 0, 1_000_000);
        assertThat(d[0]).isZero();
        assertThat(d[1]).isEqualTo(10, within(1e-9));
        assertThat(d[2]).isEqualTo(20, within(1e-9));
        assertThat(d[4]).isEqualTo(25, within(1e-9));
        assertThat(d[3]).isEqualTo(30, within(1e-9)); // 0-1-2-4-3 (4 hops) beats the direct 50 ms link
        assertThat(d[5]).isInfinite();
    }

    @Test
    void transferTimePerHopFavoursFewerHops() {
        double[] d = ShortestPaths.from(sample(1_000), 0, 100); // +100 ms per hop
        assertThat(d[1]).isEqualTo(110, within(1e-9));
        assertThat(d[2]).isEqualTo(220, within(1e-9));
        assertThat(d[3]).isEqualTo(150, within(1e-9)); // now the direct link: 50 + 100
        assertThat(d[4]).isEqualTo(255, within(1e-9)); // 0-3-4: 150 + 105, beats 0-1-2-4: 220 + 105
    }

    @Test
    void duplicateLinksAndHopCounts() {
        LinkGraph g = sample(0);
        g.add(1, 0, 1, 0); // the pair exists already: ignored
        g.add(2, 2, 1, 0); // no self links
        assertThat(g.edgeCount()).isEqualTo(5);
        assertThat(g.averageDegree()).isEqualTo(10.0 / 6, within(1e-9));
        assertThat(g.hops(0)).containsExactly(0, 1, 2, 1, 2, -1);
    }
}
