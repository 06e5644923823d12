package org.protoblock.node.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.node.rpc.RpcClient;
import org.protoblock.node.testing.ChildProcess;

/**
 * Discovery as users meet it: eight node programs on one host, each started with its defaults
 * but for the loopback addresses, all knowing only node 0 (the producer). They must mesh through
 * peer exchange, self-advertisement and (when on) LAN beacons; with node 0 gone, a newcomer that
 * knows any other node must still find peers and the producer's last head.
 */
class MeshProcessTest {
    private static final int NODES = 8;
    private static final Duration MESH_DEADLINE = Duration.ofSeconds(30);
    private static final Duration START_DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "lan={0}")
    @ValueSource(booleans = {true, false})
    void nodesThatKnowOnlyTheSeedMeshAndANewcomerJoinsWithoutIt(boolean lan) throws Exception {
        Map<String, String> env = Map.of("PROTOBLOCK_LAN", Boolean.toString(lan));
        ChildProcess.Result genesis = ChildProcess.run(dir, env, START_DEADLINE, "genesis", "new", "--out",
                dir.resolve("net").toString(), "--producers", "1");
        assertThat(genesis.exitCode()).as(genesis.stderr()).isZero();

        List<Node> nodes = new ArrayList<>();
        try {
            Node producer = start(0, env, Optional.empty(), true);
            nodes.add(producer);
            for (int i = 1; i < NODES; i++) {
                nodes.add(start(i, env, Optional.of(producer.p2pPort), false));
            }
            for (Node n : nodes) {
                n.awaitRpc();
            }
            await("every node reaches 3 peers").atMost(MESH_DEADLINE).pollInterval(Duration.ofMillis(250))
                    .until(() -> nodes.stream().allMatch(n -> n.connections() >= 3));

            // A block for the newcomer to find: a NAME transaction through node 1 is mined by node 0.
            ChildProcess.Result tx = ChildProcess.run(dir, env, START_DEADLINE, "tx", "name", "mesh-" + lan,
                    "--rpc", nodes.get(1).rpc.toString(), "--wallet", dir.resolve("wallet").toString());
            assertThat(tx.exitCode()).as(tx.stderr()).isZero();
            await("the name is mined").atMost(Duration.ofSeconds(30)).until(() -> producer.height() >= 1);
            int head = producer.height();
            String headId = producer.rpcClient().call("getbestblockhash").asText();
            await("every node has the producer's head").atMost(Duration.ofSeconds(30))
                    .until(() -> nodes.stream().allMatch(n -> n.bestHash().equals(headId)));

            producer.stop();
            Node newcomer = start(NODES, env, Optional.of(nodes.get(3).p2pPort), false);
            nodes.add(newcomer);
            newcomer.awaitRpc();
            await("the newcomer reaches 2 peers and the head").atMost(MESH_DEADLINE).pollInterval(Duration.ofMillis(250))
                    .until(() -> newcomer.connections() >= 2 && newcomer.bestHash().equals(headId));
            assertThat(newcomer.height()).isEqualTo(head);
        } catch (Throwable t) {
            throw new AssertionError(describe(nodes), t);
        } finally {
            nodes.forEach(Node::close);
        }
    }

    private Node start(int index, Map<String, String> env, Optional<Integer> seedPort, boolean producer) throws IOException {
        int p2p = freePort();
        List<String> args = new ArrayList<>(List.of("node", "--data-dir", dir.resolve("node-" + index).toString(),
                "--genesis", dir.resolve("net").resolve("genesis.block").toString(),
                "--listen", "127.0.0.1:" + p2p, "--rpc", "127.0.0.1:0"));
        seedPort.ifPresent(p -> args.addAll(List.of("--seed", "127.0.0.1:" + p)));
        if (producer) {
            args.addAll(List.of("--producer-key", dir.resolve("net").resolve("producer-1.key").toString()));
        }
        return new Node(index, p2p, ChildProcess.start(dir.resolve("logs-" + index), env, args.toArray(String[]::new)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String describe(List<Node> nodes) {
        return nodes.stream().map(Node::describe).collect(Collectors.joining("\n"));
    }

    /** One node program in a child process, and its RPC. */
    private static final class Node implements AutoCloseable {
        final int index;
        final int p2pPort;
        final ChildProcess process;
        URI rpc;

        Node(int index, int p2pPort, ChildProcess process) {
            this.index = index;
            this.p2pPort = p2pPort;
            this.process = process;
        }

        void awaitRpc() {
            await("node " + index + " serves RPC").atMost(START_DEADLINE)
                    .until(() -> process.findInLog("RPC (http://[0-9.]+:[0-9]+/)").isPresent() || !process.process().isAlive());
            assertThat(process.process().isAlive()).as(process.stderr()).isTrue();
            rpc = URI.create(process.findInLog("RPC (http://[0-9.]+:[0-9]+/)").orElseThrow());
        }

        RpcClient rpcClient() {
            return new RpcClient(rpc, Optional.empty(), Duration.ofSeconds(5));
        }

        /** Peers, or -1 while the node does not answer. */
        int connections() {
            return ask("getconnectioncount").map(j -> j.asInt()).orElse(-1);
        }

        /** Head height, or -1 while the node does not answer. */
        int height() {
            return ask("getblockcount").map(j -> j.asInt()).orElse(-1);
        }

        /** Head id, or "" while the node does not answer. */
        String bestHash() {
            return ask("getbestblockhash").map(j -> j.asText()).orElse("");
        }

        private Optional<com.fasterxml.jackson.databind.JsonNode> ask(String method) {
            try {
                return Optional.of(rpcClient().call(method));
            } catch (Exception e) {
                return Optional.empty();
            }
        }

        void stop() throws InterruptedException {
            process.process().destroy();
            process.waitFor(Duration.ofSeconds(30));
        }

        String describe() {
            String peers = process.process().isAlive() && rpc != null ? connections() + " peers" : "stopped";
            String log = process.stderr();
            String tail = log.lines().skip(Math.max(0, log.lines().count() - 15)).collect(Collectors.joining("\n    "));
            return "node " + index + " (p2p " + p2pPort + ", " + peers + "):\n    " + tail;
        }

        @Override
        public void close() {
            process.close();
        }
    }
}
