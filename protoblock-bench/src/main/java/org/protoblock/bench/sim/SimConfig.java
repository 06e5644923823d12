package org.protoblock.bench.sim;

import java.time.Duration;
import java.util.Locale;

/**
 * Settings of one simulator run, from {@code --name value} arguments (see {@link #USAGE}).
 */
public record SimConfig(int nodes, Duration latency, double jitter, long bytesPerSecond, int seeds, int eventLoops,
                        Duration settle, int txs, double txRate, int blocks, int warmupBlocks, int blockTxs, int churnBlocks, Duration duration,
                        double churnPerMinute, Duration partition, Duration healTimeout, int timeScale, int ownedThreads, long seed) {
    public static final String USAGE = """
            simulate [--nodes 100] [--latency-ms 50] [--jitter 0] [--bandwidth 12.5M] [--seeds 4]
                     [--event-loops 2] [--settle 120] [--txs 200] [--tx-rate 10] [--blocks 5] [--warmup-blocks 1] [--block-txs 50]
                     [--duration 120] [--churn 0.1] [--churn-blocks 20] [--partition 30] [--heal-timeout 120]
                     [--time-scale 1] [--owned-threads 4] [--seed 1]
              --bandwidth    bytes/s of each link and direction (k, M, G suffixes; 0 = unlimited)
              --jitter       each link's latency is latency × (1 ± jitter), fixed per pair
              --settle       most seconds to wait for the peer managers to fill their outbound slots
              --blocks       blocks produced (and timed) after the transaction phase
              --warmup-blocks blocks produced first, printed as warm-up and left out of the "all blocks" line
                             (the first blocks run code the JIT has not compiled yet, once per JVM as in a node)
              --block-txs    transactions put in every mempool before each of those blocks (after the first)
              --duration     seconds of the churn phase (0: none); --churn: fraction of nodes replaced per minute
              --partition    seconds the network stays split in two halves (0: none), then healed
              --time-scale   k: links run k times slower (latency x k, bandwidth / k) and measured times are
                             divided by k, so each node gets k times the CPU per simulated second; the nodes'
                             own timers (announcement batching, pings, timeouts, dial ticks) are NOT scaled.
                             Durations of phases (--settle, --duration, --partition) stay wall-clock seconds.
              --owned-threads every node component's OwnedExecutor runs on one JVM-wide pool of this many
                             threads (0: a thread each, as in the node program: ~9 per node)
            """;

    public static SimConfig parse(String[] args) {
        int nodes = 100;
        long latencyMs = 50;
        double jitter = 0;
        long bandwidth = 12_500_000;
        int seeds = 4;
        int eventLoops = 2;
        long settle = 120;
        int txs = 200;
        double txRate = 10;
        int blocks = 5;
        int warmupBlocks = 1;
        int blockTxs = 50;
        int churnBlocks = 20;
        long duration = 120;
        double churn = 0.1;
        long partition = 30;
        long heal = 120;
        int timeScale = 1;
        int ownedThreads = 4;
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
            }
            String v = args[++i];
            switch (name) {
                case "--nodes" -> nodes = Integer.parseInt(v);
                case "--latency-ms" -> latencyMs = Long.parseLong(v);
                case "--jitter" -> jitter = Double.parseDouble(v);
                case "--bandwidth" -> bandwidth = parseBytes(v);
                case "--seeds" -> seeds = Integer.parseInt(v);
                case "--event-loops" -> eventLoops = Integer.parseInt(v);
                case "--settle" -> settle = Long.parseLong(v);
                case "--txs" -> txs = Integer.parseInt(v);
                case "--tx-rate" -> txRate = Double.parseDouble(v);
                case "--blocks" -> blocks = Integer.parseInt(v);
                case "--warmup-blocks" -> warmupBlocks = Integer.parseInt(v);
                case "--block-txs" -> blockTxs = Integer.parseInt(v);
                case "--churn-blocks" -> churnBlocks = Integer.parseInt(v);
                case "--duration" -> duration = Long.parseLong(v);
                case "--churn" -> churn = Double.parseDouble(v);
                case "--partition" -> partition = Long.parseLong(v);
                case "--heal-timeout" -> heal = Long.parseLong(v);
                case "--time-scale" -> timeScale = Integer.parseInt(v);
                case "--owned-threads" -> ownedThreads = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
            }
        }
        if (nodes < 4 || seeds < 1 || seeds > nodes / 2 || jitter < 0 || jitter >= 1 || txRate <= 0 || timeScale < 1 || ownedThreads < 0
                || warmupBlocks < 0) {
            throw new IllegalArgumentException("bad settings\n" + USAGE);
        }
        return new SimConfig(nodes, Duration.ofMillis(latencyMs), jitter, bandwidth, seeds, eventLoops,
                Duration.ofSeconds(settle), txs, txRate, blocks, warmupBlocks, blockTxs, churnBlocks, Duration.ofSeconds(duration), churn,
                Duration.ofSeconds(partition), Duration.ofSeconds(heal), timeScale, ownedThreads, seed);
    }

    /** "12.5M" → 12,500,000; "0" → 0 (unlimited). */
    static long parseBytes(String v) {
        String s = v.trim().toUpperCase(Locale.ROOT);
        double factor = 1;
        char last = s.charAt(s.length() - 1);
        if (last == 'K' || last == 'M' || last == 'G') {
            factor = last == 'K' ? 1e3 : last == 'M' ? 1e6 : 1e9;
            s = s.substring(0, s.length() - 1);
        }
        return Math.round(Double.parseDouble(s) * factor);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "nodes=%d latency=%dms jitter=%.2f bandwidth=%s seeds=%d event-loops=%d txs=%d@%.1f/s blocks=%d+%d warm-up "
                        + "churn=%.2f/min for %ds partition=%ds time-scale=%d owned-threads=%s seed=%d",
                nodes, latency.toMillis(), jitter, bytesPerSecond == 0 ? "unlimited" : bytesPerSecond + " B/s", seeds,
                eventLoops, txs, txRate, blocks, warmupBlocks, churnPerMinute, duration.toSeconds(), partition.toSeconds(), timeScale,
                ownedThreads == 0 ? "one each" : ownedThreads, seed);
    }
}
