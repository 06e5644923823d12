package org.protoblock.node.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * One node's memory at one moment: JVM heap used (sum of the heap pools, from the node's Prometheus
 * {@code /metrics}) as found, a sawtooth; the heap used right after a full collection that the
 * sampler asks for ({@code jcmd <pid> GC.run}), which is the live heap and the trend to watch (left
 * alone, G1 may not collect the old generation for an hour at a soak's allocation rate); and the
 * process's resident set from {@code /proc/<pid>/status}. -1 where a value could not be read.
 */
public record MemorySample(long elapsedSeconds, String node, long pid, int height, int mempool, long heapUsed,
                           long liveHeap, long rss) {
    public static final String CSV_HEADER = "elapsed_s,node,pid,height,mempool,heap_used_bytes,heap_after_gc_bytes,rss_bytes";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static MemorySample take(long elapsedSeconds, NodeProcess node) throws IOException, InterruptedException {
        long heap = heapUsed(node);
        long live = node.alive() && Jcmd.run(node.pid(), "GC.run", null) ? heapUsed(node) : -1;
        return new MemorySample(elapsedSeconds, node.name(), node.alive() ? node.pid() : -1, node.height().orElse(-1),
                node.mempoolSize().orElse(-1), heap, live, node.rssBytes().orElse(-1L));
    }

    private static long heapUsed(NodeProcess node) {
        Optional<String> metrics = scrape(node);
        if (metrics.isEmpty()) {
            return -1;
        }
        long heap = 0;
        for (String line : metrics.get().lines().toList()) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                heap += value(line);
            }
        }
        return heap;
    }

    public String csv() {
        return String.join(",", Long.toString(elapsedSeconds), node, Long.toString(pid), Integer.toString(height),
                Integer.toString(mempool), Long.toString(heapUsed), Long.toString(liveHeap), Long.toString(rss));
    }

    private static Optional<String> scrape(NodeProcess node) {
        Optional<URI> rpc = node.rpcUri();
        if (rpc.isEmpty()) {
            return Optional.empty();
        }
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(rpc.get().resolve("/metrics"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static long value(String line) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
