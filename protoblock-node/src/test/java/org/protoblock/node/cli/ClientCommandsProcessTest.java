package org.protoblock.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.protoblock.node.cli.CliProcessTest.QUICK;
import static org.protoblock.node.cli.CliProcessTest.awaitRpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.node.devnet.DevnetFiles;
import org.protoblock.node.rpc.RpcClient;
import org.protoblock.node.testing.ChildProcess;
import org.protoblock.node.testing.Http;
import org.protoblock.node.wallet.NonceSource;
import org.protoblock.node.wallet.TxFactory;

/**
 * The client commands ({@code tx name/data/send}, {@code mempool}, {@code peers}, {@code block})
 * and {@code node --seed/--producer-key}, each in a child JVM as users run them, against node
 * programs (child JVMs too) of a fresh private network on loopback.
 */
class ClientCommandsProcessTest {
    private static final String P2P_IN_LOG = "P2P tcp://([0-9.]+:[0-9]+)";

    @TempDir
    Path dir;

    private Path genesis;
    private Path producerKey;
    private final List<ChildProcess> nodes = new ArrayList<>();

    @BeforeEach
    void privateNetwork() throws Exception {
        Path net = dir.resolve("net");
        DevnetFiles.create(net, "clitest", 1, Clock.systemUTC());
        genesis = DevnetFiles.genesisFile(net);
        producerKey = DevnetFiles.producerKeyFile(net, 1);
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(ChildProcess::close);
    }

    @Test
    void clientCommandsAgainstANodeThatDoesNotProduce() throws Exception {
        Node node = startNode("lone");
        String rpc = node.rpc().toString();
        String genesisId = node.client().call("getbestblockhash").asText();

        String named = ok("tx", "name", "alice", "--rpc", rpc, "--wallet", wallet());
        assertThat(named).matches("[0-9a-f]{64}");
        ChainTransaction signed = new TxFactory(NonceSource.system()).nameRegistration("bob", KeyPair.generate());
        String sent = ok("tx", "send", HexFormat.of().formatHex(signed.proto().toByteArray()), "--rpc", rpc);
        assertThat(sent).isEqualTo(signed.id().toHex());

        // Read-only commands and failures, started together.
        List<ChildProcess.Result> r = ChildProcess.runAll(dir, Map.of(), QUICK, List.of(
                new String[] {"mempool", "--rpc", rpc},
                new String[] {"peers", "--rpc", rpc},
                new String[] {"block", "0", "--rpc", rpc},
                new String[] {"block", genesisId, "--hex", "--rpc", rpc},
                new String[] {"tx", "send", "00ff", "--rpc", rpc},
                new String[] {"tx", "data", "carol", "--rpc", rpc, "--wallet", wallet()},
                new String[] {"block", "7", "--rpc", rpc}));
        JsonNode mempool = json(stdout(r.get(0)));
        assertThat(mempool.get("size").asInt()).isEqualTo(2);
        assertThat(texts(mempool.get("txids"))).containsExactly(named, sent);
        assertThat(json(stdout(r.get(1)))).isEmpty();
        assertThat(json(stdout(r.get(2))).get("hash").asText()).isEqualTo(genesisId);
        assertThat(stdout(r.get(3))).matches("[0-9a-f]+");
        assertFailure(r.get(4), "node refused");
        assertFailure(r.get(5), "no key for carol");
        assertFailure(r.get(6), "(code -5)");
    }

    @Test
    void aNodeSeededWithTheProducerFollowsItAndRelaysItsTransactions() throws Exception {
        Node producer = startNode("producer", "--producer-key", producerKey.toString());
        Node seeded = startNode("seeded", "--seed", producer.p2p());
        String producerId = producer.client().call("getnetworkinfo").get("nodeid").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> seeded.client().call("getconnectioncount").asInt() > 0);
        assertThat(json(ok("peers", "--rpc", seeded.rpc().toString()))).extracting(peer -> peer.get("id").asText())
                .containsOnly(producerId);

        // Through the seeded node only: the name reaches the producer by gossip, comes back in a block.
        String named = ok("tx", "name", "alice", "--rpc", seeded.rpc().toString(), "--wallet", wallet());
        int nameHeight = awaitIncluded(seeded, named);
        String data = ok("tx", "data", "alice", "--rpc", seeded.rpc().toString(), "--wallet", wallet());
        int dataHeight = awaitIncluded(seeded, data);
        assertThat(dataHeight).isGreaterThan(nameHeight);
        await().atMost(Duration.ofSeconds(30)).until(() -> seeded.client().call("getbestblockhash")
                .equals(producer.client().call("getbestblockhash")));
        assertThat(producer.client().call("getblockcount").asInt()).isGreaterThanOrEqualTo(dataHeight);
        assertThat(texts(json(ok("mempool", "--rpc", producer.rpc().toString())).get("txids"))).doesNotContain(named, data);
    }

    /** A running node program: its RPC and P2P addresses as it logged them. */
    private record Node(URI rpc, String p2p, RpcClient client) {
    }

    private Node startNode(String name, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("node", "--data-dir", dir.resolve(name).toString(),
                "--genesis", genesis.toString(), "--listen", "127.0.0.1:0", "--rpc", "127.0.0.1:0"));
        args.addAll(List.of(extra));
        ChildProcess process = ChildProcess.start(dir, Map.of(), args.toArray(String[]::new));
        nodes.add(process);
        URI rpc = awaitRpc(process);
        return new Node(rpc, process.findInLog(P2P_IN_LOG).orElseThrow(), new RpcClient(rpc, Optional.empty(), Duration.ofSeconds(10)));
    }

    /** The height of the block that holds {@code txId}, read with the {@code block} command once the node has it. */
    private int awaitIncluded(Node node, String txId) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> !texts(node.client().call("getrawmempool")).contains(txId)
                && node.client().call("getblockcount").asInt() > 0);
        for (int height = node.client().call("getblockcount").asInt(); height > 0; height--) {
            JsonNode block = json(ok("block", Integer.toString(height), "--rpc", node.rpc().toString()));
            if (StreamSupport.stream(block.get("tx").spliterator(), false).anyMatch(tx -> tx.get("txid").asText().equals(txId))) {
                return height;
            }
        }
        throw new AssertionError(txId + " left the mempool but is in no block");
    }

    private String wallet() {
        return dir.resolve("wallet").toString();
    }

    /** Runs a client command that must succeed; its stdout, stripped. */
    private String ok(String... args) throws Exception {
        return stdout(ChildProcess.run(dir, Map.of(), QUICK, args));
    }

    private static String stdout(ChildProcess.Result r) {
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout().strip();
    }

    private static void assertFailure(ChildProcess.Result r, String message) {
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.stderr()).contains(message);
    }

    private static JsonNode json(String text) throws Exception {
        return Http.MAPPER.readTree(text);
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
