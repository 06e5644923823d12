package org.protoblock.node.faults;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The trend of one memory figure of one node over a soak: first, last and max value, and the
 * least-squares slope per hour over all samples and over the second half (after warm-up: caches,
 * JIT and heap sizing settle in the first minutes, so a leak shows as a second-half slope).
 */
public record MemoryTrend(String node, String metric, long first, long last, long max, double slopePerHour,
                          double secondHalfSlopePerHour) {
    private static final double MIB = 1024 * 1024;

    /** Over the samples of one node that have the value (≥ 0). */
    public static MemoryTrend of(String node, String metric, List<MemorySample> samples, ToLongFunction<MemorySample> value) {
        List<MemorySample> valid = samples.stream().filter(s -> value.applyAsLong(s) >= 0).toList();
        if (valid.isEmpty()) {
            return new MemoryTrend(node, metric, -1, -1, -1, Double.NaN, Double.NaN);
        }
        long max = valid.stream().mapToLong(value).max().orElse(-1);
        return new MemoryTrend(node, metric, value.applyAsLong(valid.get(0)), value.applyAsLong(valid.get(valid.size() - 1)),
                max, slopePerHour(valid, value), slopePerHour(valid.subList(valid.size() / 2, valid.size()), value));
    }

    static double slopePerHour(List<MemorySample> samples, ToLongFunction<MemorySample> value) {
        int n = samples.size();
        if (n < 2) {
            return Double.NaN;
        }
        double meanX = samples.stream().mapToDouble(MemorySample::elapsedSeconds).average().orElse(0);
        double meanY = samples.stream().mapToDouble(s -> value.applyAsLong(s)).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (MemorySample s : samples) {
            double dx = s.elapsedSeconds() - meanX;
            sxy += dx * (value.applyAsLong(s) - meanY);
            sxx += dx * dx;
        }
        return sxx == 0 ? Double.NaN : sxy / sxx * 3600;
    }

    public static String tableHeader() {
        return "| node | metric | first MiB | last MiB | max MiB | slope MiB/h (all) | slope MiB/h (2nd half) |\n"
                + "|---|---|---:|---:|---:|---:|---:|";
    }

    public String tableRow() {
        return String.format("| %s | %s | %.1f | %.1f | %.1f | %+.1f | %+.1f |", node, metric, first / MIB, last / MIB,
                max / MIB, slopePerHour / MIB, secondHalfSlopePerHour / MIB);
    }

    public double secondHalfMibPerHour() {
        return secondHalfSlopePerHour / MIB;
    }
}
