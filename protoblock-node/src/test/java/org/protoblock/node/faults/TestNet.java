package org.protoblock.node.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.node.devnet.DevnetFiles;

/**
 * A private network of node programs on loopback, made as the README shows: {@code genesis new},
 * then node 0 with the producer key, every other node seeded with node 0 and the node before it.
 * Ports are picked once and kept across restarts.
 *
 * <p>Threads: the harness thread.
 */
public final class TestNet implements AutoCloseable {
    public static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path dir;
    private final DevnetFiles.Devnet devnet;
    private final List<NodeProcess> nodes = new ArrayList<>();

    private TestNet(Path dir, DevnetFiles.Devnet devnet) {
        this.dir = dir;
        this.devnet = devnet;
    }

    /** Runs {@code genesis new} and lays out {@code count} nodes (not started). */
    public static TestNet create(Path dir, NodeLauncher launcher, int count) throws IOException, InterruptedException {
        Path net = dir.resolve("net");
        Files.createDirectories(dir);
        Path genesisLog = dir.resolve("genesis-new.log");
        Process genesis = new ProcessBuilder(launcher.command(List.of("genesis", "new", "--out", net.toString(),
                "--producers", "1"))).redirectErrorStream(true).redirectOutput(genesisLog.toFile()).start();
        if (!genesis.waitFor(120, TimeUnit.SECONDS) || genesis.exitValue() != 0) {
            genesis.destroyForcibly();
            throw new IOException("genesis new failed: " + Files.readString(genesisLog));
        }
        DevnetFiles.Devnet devnet;
        try {
            devnet = DevnetFiles.load(net);
        } catch (ValidationException e) {
            throw new IOException("genesis new wrote an invalid genesis: " + e.getMessage(), e);
        }
        TestNet testNet = new TestNet(dir, devnet);
        List<Integer> p2pPorts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int p2p = freePort();
            List<Integer> seeds = i == 0 ? List.of() : i == 1 ? List.of(p2pPorts.get(0)) : List.of(p2pPorts.get(0), p2pPorts.get(i - 1));
            p2pPorts.add(p2p);
            Optional<Path> producerKey = i == 0 ? Optional.of(DevnetFiles.producerKeyFile(net, 1)) : Optional.empty();
            testNet.nodes.add(new NodeProcess("node-" + i, launcher, NodeProcess.nodeArgs(testNet.dataDir(i),
                    DevnetFiles.genesisFile(net), p2p, freePort(), seeds, producerKey), dir.resolve("logs")));
        }
        return testNet;
    }

    public Path dir() {
        return dir;
    }

    public Path dataDir(int index) {
        return dir.resolve("node-" + index);
    }

    /** The chain store of node {@code index} (as {@code NodeApp} lays out the data dir). */
    public Path storeDir(int index) {
        return dataDir(index).resolve("chain");
    }

    public DevnetFiles.Devnet devnet() {
        return devnet;
    }

    public KeyPair producerKey() {
        return devnet.producers().get(0);
    }

    public List<NodeProcess> nodes() {
        return nodes;
    }

    public NodeProcess node(int index) {
        return nodes.get(index);
    }

    public void startAll() throws IOException, InterruptedException {
        for (NodeProcess node : nodes) {
            node.start(START_TIMEOUT);
        }
    }

    /** Polls until every node answers with the same head, for at most {@code timeout}; that head's height. */
    public Optional<Integer> awaitSameHead(Duration timeout) throws InterruptedException {
        return awaitSameHead(nodes, timeout);
    }

    /** Polls until {@code these} nodes answer with the same head, for at most {@code timeout}; that head's height. */
    public static Optional<Integer> awaitSameHead(List<NodeProcess> these, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> heads = these.stream().map(n -> n.bestHash().orElse("?" + n.name())).distinct().toList();
            if (heads.size() == 1) {
                Optional<Integer> height = these.get(0).height();
                if (height.isPresent() && these.get(0).bestHash().equals(Optional.of(heads.get(0)))) {
                    return height;
                }
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        return Optional.empty();
    }

    /**
     * Polls until every node answers with the same head and an empty mempool (the producer made a
     * block of everything pending), for at most {@code timeout}; that head's height.
     */
    public Optional<Integer> awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Integer> head = awaitSameHead(Duration.ofSeconds(5));
            if (head.isPresent() && nodes.stream().allMatch(n -> n.mempoolSize().equals(Optional.of(0)))) {
                return head;
            }
        }
        return Optional.empty();
    }

    /** Each node's height, head and mempool size, or "down", on one line. */
    public String describeHeads() {
        List<String> parts = new ArrayList<>();
        for (NodeProcess n : nodes) {
            parts.add(n.name() + " " + n.height().map(String::valueOf).orElse("down") + "/"
                    + n.bestHash().map(h -> h.substring(0, 8)).orElse("-") + " mempool " + n.mempoolSize().map(String::valueOf).orElse("-"));
        }
        return String.join(", ", parts);
    }

    /** SIGTERM to every node, last first. */
    @Override
    public void close() throws InterruptedException {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                nodes.get(i).stop(Duration.ofSeconds(60));
            } catch (RuntimeException e) {
                System.err.println("closing " + nodes.get(i).name() + ": " + e.getMessage());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
