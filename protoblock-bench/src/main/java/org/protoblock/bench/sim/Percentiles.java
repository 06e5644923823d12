package org.protoblock.bench.sim;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample (copied and sorted once). */
public final class Percentiles {
    private final double[] sorted;

    public Percentiles(double[] values) {
        this.sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    }

    public int count() {
        return sorted.length;
    }

    /** The value at fraction {@code p} (0..1) by nearest rank; NaN for an empty sample. */
    public double at(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }
}
