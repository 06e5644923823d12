package org.protoblock.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.network.GenesisFile;
import org.protoblock.chain.network.NetworkParams;
import org.protoblock.chain.network.Networks;
import org.protoblock.chain.store.RocksDbChainStore;
import org.protoblock.chain.store.StoreConsistency;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.node.rpc.RpcClient;
import org.protoblock.node.testing.ChildProcess;
import org.protoblock.node.testing.Http;

/** The program as users run it: a child JVM per command, real exit codes, real signals. */
class CliProcessTest {
    static final Duration QUICK = Duration.ofSeconds(60);
    static final String RPC_IN_LOG = "RPC (http://[0-9.]+:[0-9]+/)";

    @TempDir
    Path dir;

    @Test
    void genesisNewWritesTheGenesisAndProducerKeys() throws Exception {
        Path out = dir.resolve("net");
        ChildProcess.Result r = ChildProcess.run(dir, Map.of(), QUICK, "genesis", "new", "--out", out.toString(), "--producers", "3");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        NetworkParams network = GenesisFile.read(out.resolve("genesis.block"), ChainLimits.DEFAULT);
        assertThat(network.producerKeys()).hasSize(3);
        for (int i = 1; i <= 3; i++) {
            assertThat(network.producerKeys().get(i - 1)).isEqualTo(KeyPair.load(out.resolve("producer-" + i + ".key")).publicKey());
        }
        assertThat(r.stdout()).contains(network.networkId(), "producer-3.key");

        ChildProcess.Result again = ChildProcess.run(dir, Map.of(), QUICK, "genesis", "new", "--out", out.toString());
        assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(again.stderr()).contains("refusing to overwrite");
    }

    @Test
    void usageErrorsExitWithTwo() throws Exception {
        String[][] cases = {
                {"bogus"},
                {"genesis", "new"},
                {"genesis", "new", "--out", dir.resolve("g").toString(), "--producers", "0"},
                {"node", "--data-dir", dir.resolve("d1").toString(), "--listen", "nonsense"},
                {"node", "--data-dir", dir.resolve("d2").toString(), "--log-level", "LOUD"},
                {"node", "--data-dir", dir.resolve("d3").toString(), "--sp-blocks", "nonsense"},
                {"devnet", "--nodes", "0"},
                {"block"},
                {"tx", "name"},
        };
        // Started together: each is a JVM start, the slow part.
        java.util.List<ChildProcess> children = new java.util.ArrayList<>();
        try {
            for (String[] args : cases) {
                children.add(ChildProcess.start(dir, Map.of(), args));
            }
            for (int i = 0; i < cases.length; i++) {
                int code = children.get(i).waitFor(QUICK);
                assertThat(code).as(String.join(" ", cases[i]) + "\n" + children.get(i).stderr()).isEqualTo(ExitCodes.USAGE);
            }
        } finally {
            children.forEach(ChildProcess::close);
        }
        ChildProcess.Result help = ChildProcess.run(dir, Map.of(), QUICK, "node", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("--data-dir", "--genesis", "--listen", "--rpc", "--seed", "--producer-key",
                "--sp", "--sp-blocks", "--sp-txs", "--sp-submit");
        ChildProcess.Result down = ChildProcess.run(dir, Map.of(), QUICK, "status", "--rpc", "http://127.0.0.1:1");
        assertThat(down.exitCode()).as(down.stderr()).isEqualTo(ExitCodes.FAILURE);
        assertThat(down.stderr()).contains("cannot reach the node");
    }

    @Test
    void nodeWithOnlyADataDirServesRpcAndMetricsAndStopsCleanlyOnSigterm() throws Exception {
        Path data = dir.resolve("data");
        URI rpc;
        String txId;
        try (ChildProcess node = ChildProcess.start(dir, Map.of(), "node", "--data-dir", data.toString())) {
            rpc = awaitRpc(node);
            RpcClient client = new RpcClient(rpc, Optional.empty(), Duration.ofSeconds(10));
            assertThat(client.call("getblockcount").asInt()).isZero();
            assertThat(client.call("getbestblockhash").asText()).isEqualTo(Networks.MAINNET_GENESIS_ID.toHex());
            assertThat(client.call("getnetworkinfo").get("networkid").asText()).isEqualTo("mainnet");
            assertThat(Http.get(rpc.resolve("/metrics"), Map.of()).body()).contains("protoblock_chain_height{");
            assertThat(Files.exists(data.resolve("node.key"))).isTrue();
            assertThat(Files.exists(data.resolve("protoblock.conf"))).isTrue();

            // The CLI client: `tx name` signs with a new wallet key and prints only the id.
            ChildProcess.Result tx = ChildProcess.run(dir, Map.of(), QUICK, "tx", "name", "cli-alice", "--rpc", rpc.toString(),
                    "--wallet", dir.resolve("wallet").toString());
            assertThat(tx.exitCode()).as(tx.stderr()).isZero();
            txId = tx.stdout().strip();
            assertThat(txId).matches("[0-9a-f]{64}");
            assertThat(Files.exists(dir.resolve("wallet").resolve("cli-alice.key"))).isTrue();
            assertThat(client.call("getrawmempool")).extracting(JsonNode::asText).containsExactly(txId);
            ChildProcess.Result status = ChildProcess.run(dir, Map.of(), QUICK, "status", "--rpc", rpc.toString());
            assertThat(Http.MAPPER.readTree(status.stdout()).get("mempool").asInt()).isEqualTo(1);

            node.process().destroy(); // SIGTERM
            node.waitFor(Duration.ofSeconds(30));
            assertThat(node.stderr()).contains("Shutting down", "Node stopped cleanly").doesNotContain("Exception");
        }
        try (RocksDbChainStore store = RocksDbChainStore.open(data.resolve("chain"))) {
            assertThat(StoreConsistency.check(store)).isEmpty();
            assertThat(store.head()).isPresent();
            assertThat(store.mempool()).extracting(e -> e.transaction().getId().toStringUtf8()).containsExactly(txId);
        }
    }

    @Test
    void nodeWithNoArgumentsUsesTheHomeDataDir() throws Exception {
        Path home = dir.resolve("home");
        // The environment moves the RPC port (any free one) without a flag: precedence env > default.
        try (ChildProcess node = ChildProcess.start(dir, Map.of("HOME", home.toString(), "PROTOBLOCK_RPC", "127.0.0.1:0",
                "PROTOBLOCK_LISTEN", "127.0.0.1:0"), "node")) {
            URI rpc = awaitRpc(node);
            assertThat(new RpcClient(rpc, Optional.empty(), Duration.ofSeconds(10)).call("getblockcount").asInt()).isZero();
            Path data = home.resolve(".protoblock").resolve("mainnet");
            assertThat(data.resolve("node.key")).exists();
            assertThat(data.resolve("protoblock.conf")).exists();
            assertThat(data.resolve("chain")).isDirectory();
            assertThat(node.stderr()).contains("rpc 127.0.0.1:0 [ENVIRONMENT]");
            node.process().destroy();
            node.waitFor(Duration.ofSeconds(30));
        }
    }

    @Test
    void devnetRunsConvergesAndWritesItsSummary() throws Exception {
        Path json = dir.resolve("summary.json");
        ChildProcess.Result r = ChildProcess.run(dir, Map.of(), Duration.ofSeconds(120), "devnet", "--nodes", "2",
                "--duration", "3", "--tx-rate", "10", "--dir", dir.resolve("devnet").toString(), "--summary-json", json.toString());
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        JsonNode summary = Http.MAPPER.readTree(json.toFile());
        assertThat(summary.get("ok").asBoolean()).isTrue();
        assertThat(summary.get("nodes")).hasSize(2);
        assertThat(summary.get("accepted").asLong()).isPositive().isEqualTo(summary.get("included").asLong());
        assertThat(r.stdout()).contains("heads agree: yes", "OK");
        assertThat(dir.resolve("devnet").resolve("genesis.block")).exists();
        assertThat(dir.resolve("devnet").resolve("devnet.log")).exists();
    }

    static URI awaitRpc(ChildProcess node) {
        await().atMost(Duration.ofSeconds(60)).until(() -> node.findInLog(RPC_IN_LOG).isPresent() || !node.process().isAlive());
        assertThat(node.process().isAlive()).as(node.stderr()).isTrue();
        return URI.create(node.findInLog(RPC_IN_LOG).orElseThrow());
    }
}
