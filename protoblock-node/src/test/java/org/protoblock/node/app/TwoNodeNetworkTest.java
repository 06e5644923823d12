package org.protoblock.node.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.node.cli.ProtoblockCommand;
import org.protoblock.node.rpc.RpcClient;
import org.protoblock.node.testing.LocalNet;
import picocli.CommandLine;

/**
 * Two nodes: a transaction sent with {@code protoblock tx name} through the non-producing node
 * travels by gossip to the producer, lands in a block, and that block reaches the sender's node.
 */
class TwoNodeNetworkTest {
    @TempDir
    Path dir;

    @Test
    void aNameSentThroughOneNodeIsInABlockOnTheOther() throws Exception {
        try (LocalNet net = new LocalNet(dir)) {
            NodeApp producer = net.start();
            NodeApp entry = net.start();
            entry.p2p().dial(producer.p2pAddress()).get(30, java.util.concurrent.TimeUnit.SECONDS);

            CommandLine cli = ProtoblockCommand.commandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));
            int code = cli.execute("tx", "name", "two-node-dave", "--rpc", entry.rpcUrl().toString(),
                    "--wallet", dir.resolve("wallet").toString());
            assertThat(code).as(err.toString()).isZero();
            String txId = out.toString().strip();
            assertThat(txId).matches("[0-9a-f]{64}");

            RpcClient producerRpc = new RpcClient(producer.rpcUrl(), Optional.empty(), Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(30)).until(() -> blockWith(producerRpc, txId).isPresent());
            int num = blockWith(producerRpc, txId).orElseThrow();
            RpcClient entryRpc = new RpcClient(entry.rpcUrl(), Optional.empty(), Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(30)).until(() -> entryRpc.call("getbestblockhash").asText()
                    .equals(producerRpc.call("getbestblockhash").asText()));
            assertThat(entryRpc.call("getblock", num).get("tx")).extracting(t -> t.get("txid").asText()).contains(txId);
        }
    }

    /** The height of the main-chain block holding {@code txId}, found with getblockcount and getblock. */
    static Optional<Integer> blockWith(RpcClient rpc, String txId) throws Exception {
        int count = rpc.call("getblockcount").asInt();
        for (int num = count; num >= 1; num--) {
            for (JsonNode tx : rpc.call("getblock", num).get("tx")) {
                if (tx.get("txid").asText().equals(txId)) {
                    return Optional.of(num);
                }
            }
        }
        return Optional.empty();
    }
}
