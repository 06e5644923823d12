package org.protoblock.node.natlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.protoblock.node.testing.ChildProcess;

/**
 * A node program in a lab namespace, run with its defaults (P2P on 0.0.0.0:8125, RPC on
 * 127.0.0.1:8080: each namespace has its own stack) plus its data dir, the lab's genesis and seeds.
 */
final class LabNode implements AutoCloseable {
    static final int P2P_PORT = 8125;
    static final Duration START_DEADLINE = Duration.ofSeconds(90);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(30);
    private static final Duration CLI_DEADLINE = Duration.ofSeconds(60);

    final String name;
    final Netns netns;
    final NodeRpc rpc;
    private final Path dir;
    private final ChildProcess process;

    private LabNode(String name, Netns netns, Path dir, ChildProcess process) {
        this.name = name;
        this.netns = netns;
        this.dir = dir;
        this.process = process;
        this.rpc = new NodeRpc(netns, NodeRpc.DEFAULT_PORT);
    }

    /** Starts {@code node} in {@code netns}; the producer key makes it the network's producer. */
    static LabNode start(String name, Netns netns, Path labDir, Path genesisDir, Optional<Path> producerKey, List<String> seeds)
            throws IOException {
        Path dir = labDir.resolve(name);
        List<String> args = new ArrayList<>(List.of("node", "--data-dir", dir.resolve("data").toString(),
                "--genesis", genesisDir.resolve("genesis.block").toString()));
        seeds.forEach(s -> args.addAll(List.of("--seed", s)));
        // -Dnatlab.logLevel=DEBUG (passed through by Maven) when a lab failure needs the nodes' reasoning.
        Optional.ofNullable(System.getProperty("natlab.logLevel")).ifPresent(l -> args.addAll(List.of("--log-level", l)));
        producerKey.ifPresent(k -> args.addAll(List.of("--producer-key", k.toString())));
        return new LabNode(name, netns, dir, ChildProcess.startIn(netns.name(), dir.resolve("logs"), Map.of(), args.toArray(String[]::new)));
    }

    /** Waits until the RPC answers; returns when it did (the clock of "within N s of start"). */
    Instant awaitRpc() {
        await(name + " serves RPC").atMost(START_DEADLINE).pollInterval(Duration.ofMillis(100))
                .until(() -> !process.process().isAlive()
                        || process.findInLog("RPC (http://[0-9.]+:[0-9]+/)").isPresent() && rpc.tryCall("getblockcount").isPresent());
        assertThat(process.process().isAlive()).as(name + " exited:\n" + process.stderr()).isTrue();
        return Instant.now();
    }

    JsonNode networkInfo() {
        return rpc.call("getnetworkinfo");
    }

    /** getnetworkinfo's reachability, or "" while the node does not answer. */
    String reachability() {
        return rpc.tryCall("getnetworkinfo").map(i -> i.path("reachability").asText()).orElse("");
    }

    String nodeId() {
        return networkInfo().path("nodeid").asText();
    }

    List<JsonNode> peers() {
        return StreamSupport.stream(rpc.call("getpeerinfo").spliterator(), false).toList();
    }

    /** Head height, or -1 while the node does not answer. */
    int height() {
        return rpc.tryCall("getblockcount").map(JsonNode::asInt).orElse(-1);
    }

    /** Head id, or "" while the node does not answer. */
    String bestHash() {
        return rpc.tryCall("getbestblockhash").map(JsonNode::asText).orElse("");
    }

    /** {@code protoblock tx name NAME} through this node's RPC (the CLI in the node's namespace); the transaction id. */
    String submitName(String fantasyName, Path wallet) throws Exception {
        ChildProcess.Result r = ChildProcess.runIn(netns.name(), dir.resolve("cli"), Map.of(), CLI_DEADLINE, "tx", "name", fantasyName,
                "--rpc", "http://127.0.0.1:" + NodeRpc.DEFAULT_PORT, "--wallet", wallet.toString());
        assertThat(r.exitCode()).as("tx name through " + name + ": " + r.stderr()).isZero();
        return r.stdout().strip().lines().reduce((a, b) -> b).orElseThrow();
    }

    /** Whether the transaction is in this node's mempool or in one of its main-chain blocks. */
    boolean knowsTransaction(String txid) {
        return rpc.tryCall("getrawmempool").map(ids -> ids.toString().contains(txid)).orElse(false) || minedTransaction(txid);
    }

    /** Whether the transaction is in one of this node's main-chain blocks. */
    boolean minedTransaction(String txid) {
        for (int h = height(); h >= 1; h--) {
            if (rpc.tryCall("getblock", h).map(b -> b.path("tx").toString().contains(txid)).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    boolean isAlive() {
        return process.process().isAlive();
    }

    /** A clean shutdown: SIGTERM, then waits for the exit. */
    void stop() throws InterruptedException {
        process.process().destroy();
        process.waitFor(STOP_DEADLINE);
    }

    String log() {
        return process.stderr();
    }

    /** Copies this node's whole log to {@code dir} (the lab's files go when it closes). */
    void saveLog(Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.writeString(dir.resolve(name + ".log"), process.stderr());
        } catch (IOException e) {
            // best effort: the failure message still has the log's tail
        }
    }

    String describe() {
        String log = process.stderr();
        String tail = log.lines().skip(Math.max(0, log.lines().count() - 25)).collect(Collectors.joining("\n    "));
        String state = isAlive() ? rpc.tryCall("getnetworkinfo").map(i -> " " + i).orElse(" (no RPC answer)") : " (exited)";
        return name + " in " + netns + state + ":\n    " + tail;
    }

    @Override
    public void close() {
        process.close();
    }
}
