package org.protoblock.node.faults;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * The soak: a network of node programs at a steady transaction rate for a given time, sampling
 * each node's heap (its {@code /metrics}) and RSS into {@code samples.csv}, with a class histogram
 * of each node ({@code jcmd <pid> GC.class_histogram}) at the start and the end, and a summary of
 * the trends. Memory is judged flat when, over the second half, no node's live heap (heap used
 * right after a full GC the sampler asks for, see {@link MemorySample}) grows faster than
 * {@code --max-live-slope} MiB/h and no node's RSS faster than {@code --max-rss-slope} MiB/h. Run by {@code protoblock-bench/soak}.
 * Exit code 0 only if memory is flat, no node died, the heads agree at the end and every
 * accepted transaction is on node 0's (consistent) chain.
 */
public final class Soak {
    private static final Set<String> OPTIONS = Set.of("minutes", "nodes", "tx-rate", "interval", "out", "node-jar",
            "node-jvm-opts", "seed", "max-live-slope", "max-rss-slope");

    private Soak() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, OPTIONS);
        Path out = Path.of(args.string("out", "soak-" + Instant.now().getEpochSecond()));
        NodeLauncher launcher = NodeLauncher.jar(Path.of(args.string("node-jar", "protoblock-node/target/protoblock-node.jar")),
                args.string("node-jvm-opts", "-Xmx256m"));
        int minutes = args.integer("minutes", 60);
        int nodeCount = args.integer("nodes", 5);
        double rate = args.decimal("tx-rate", 20);
        Duration interval = Duration.ofSeconds(args.integer("interval", 30));
        double maxLiveSlope = args.decimal("max-live-slope", 16);
        double maxRssSlope = args.decimal("max-rss-slope", 64);
        System.exit(run(out, launcher, minutes, nodeCount, rate, interval, args.longValue("seed", 1), maxLiveSlope, maxRssSlope));
    }

    static int run(Path out, NodeLauncher launcher, int minutes, int nodeCount, double rate, Duration interval, long seed,
                   double maxLiveSlope, double maxRssSlope) throws Exception {
        Files.createDirectories(out);
        List<String> failures = new ArrayList<>();
        List<MemorySample> samples = new ArrayList<>();
        say("soak: %d nodes, %.1f tx/s, %d min, samples every %d s, in %s", nodeCount, rate, minutes, interval.toSeconds(), out);
        try (TestNet net = TestNet.create(out.resolve("net"), launcher, nodeCount)) {
            net.startAll();
            say("nodes up: %s", net.describeHeads());
            long start = System.nanoTime();
            long end = start + TimeUnit.MINUTES.toNanos(minutes);
            TxLoad load = new TxLoad(net.nodes(), rate, net.producerKey(), 10_000_000, seed).start();
            try (BufferedWriter csv = Files.newBufferedWriter(out.resolve("samples.csv"), StandardCharsets.UTF_8)) {
                csv.write(MemorySample.CSV_HEADER + "\n");
                for (long next = start; ; next += interval.toNanos()) {
                    for (NodeProcess node : net.nodes()) {
                        MemorySample sample = MemorySample.take(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), node);
                        samples.add(sample);
                        csv.write(sample.csv() + "\n");
                        if (!node.alive()) {
                            failures.add(node.name() + " died (log " + node.log() + ")");
                        }
                    }
                    csv.flush();
                    if (next == start) {
                        histograms(net, out, "start");
                    }
                    say("t=%4d s: %s; load %d accepted of %d", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
                            net.describeHeads(), load.accepted().size(), load.submitted());
                    if (next + interval.toNanos() > end || !failures.isEmpty()) {
                        break;
                    }
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, next + interval.toNanos() - System.nanoTime()));
                }
            }
            histograms(net, out, "end");
            load.close();
            Optional<Integer> head = net.awaitSettled(Duration.ofSeconds(120));
            if (head.isEmpty()) {
                failures.add("heads differ or mempools hold transactions 120 s after the load stopped: " + net.describeHeads());
            }
            net.close();
            StoreAudit audit = StoreAudit.of(net.storeDir(0), load.accepted().keySet());
            if (!audit.consistent()) {
                failures.add("node-0 store inconsistent: " + audit.violations());
            }
            if (!audit.missing().isEmpty()) {
                failures.add(audit.missing().size() + " accepted transactions not on node-0's chain, e.g. " + audit.missing().get(0));
            }
            String summary = summary(samples, net, load, audit, head, maxLiveSlope, maxRssSlope, failures);
            Files.writeString(out.resolve("summary.md"), summary);
            System.out.println(summary);
        }
        return failures.isEmpty() ? 0 : 1;
    }

    private static String summary(List<MemorySample> samples, TestNet net, TxLoad load, StoreAudit audit,
                                  Optional<Integer> head, double maxLiveSlope, double maxRssSlope, List<String> failures) {
        StringBuilder s = new StringBuilder();
        long last = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).elapsedSeconds();
        s.append(String.format("soak summary: %d nodes, %d s, %d samples per node; transactions %d submitted, %d accepted, "
                        + "rejected %s, unreachable %d; final head %s, node-0 store consistent: %s%n%n",
                net.nodes().size(), last, samples.size() / Math.max(1, net.nodes().size()), load.submitted(),
                load.accepted().size(), load.rejected(), load.unreachable(), head.map(String::valueOf).orElse("(differ)"),
                audit.consistent()));
        s.append(MemoryTrend.tableHeader()).append('\n');
        for (NodeProcess node : net.nodes()) {
            List<MemorySample> mine = samples.stream().filter(x -> x.node().equals(node.name())).toList();
            MemoryTrend live = trend(node, "heap after full GC", mine, MemorySample::liveHeap);
            MemoryTrend rss = trend(node, "RSS", mine, MemorySample::rss);
            s.append(trend(node, "heap used", mine, MemorySample::heapUsed).tableRow()).append('\n');
            s.append(live.tableRow()).append('\n');
            s.append(rss.tableRow()).append('\n');
            if (!(live.secondHalfMibPerHour() <= maxLiveSlope)) {
                failures.add(String.format("%s: the heap after a full GC grows %.1f MiB/h in the second half (limit %.1f)",
                        node.name(), live.secondHalfMibPerHour(), maxLiveSlope));
            }
            if (!(rss.secondHalfMibPerHour() <= maxRssSlope)) {
                failures.add(String.format("%s: RSS grows %.1f MiB/h in the second half (limit %.1f)", node.name(),
                        rss.secondHalfMibPerHour(), maxRssSlope));
            }
        }
        s.append(failures.isEmpty() ? "\nverdict: memory flat, heads agree, every accepted transaction on the chain\n"
                : "\nverdict: FAILED\n  " + String.join("\n  ", failures) + "\n");
        return s.toString();
    }

    private static MemoryTrend trend(NodeProcess node, String metric, List<MemorySample> samples, ToLongFunction<MemorySample> v) {
        return MemoryTrend.of(node.name(), metric, samples, v);
    }

    /** {@code jcmd <pid> GC.class_histogram} of each running node (it runs a full GC first). */
    private static void histograms(TestNet net, Path out, String label) throws IOException, InterruptedException {
        for (NodeProcess node : net.nodes()) {
            if (node.alive()) {
                Jcmd.run(node.pid(), "GC.class_histogram", out.resolve("histogram-" + node.name() + "-" + label + ".txt"));
            }
        }
    }

    static void say(String format, Object... args) {
        System.out.printf("%s %s%n", Instant.now().toString().substring(11, 19), String.format(format, args));
        System.out.flush();
    }
}
