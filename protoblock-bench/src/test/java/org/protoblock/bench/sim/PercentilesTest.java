package org.protoblock.bench.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentilesTest {
    @Test
    void nearestRankIgnoringMissingValues() {
        double[] values = new double[101];
        for (int i = 0; i <= 100; i++) {
            values[i] = 100 - i;
        }
        Percentiles p = new Percentiles(values);
        assertThat(p.at(0.5)).isEqualTo(50);
        assertThat(p.at(0.99)).isEqualTo(99);
        assertThat(p.max()).isEqualTo(100);
        assertThat(new Percentiles(new double[] {Double.NaN, 3}).count()).isEqualTo(1);
        assertThat(new Percentiles(new double[0]).at(0.5)).isNaN();
    }
}
