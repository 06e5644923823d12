package org.protoblock.node.sp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.proto.Block;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.node.app.NodeApp;
import org.protoblock.node.rpc.RpcClient;
import org.protoblock.node.sp.proto.NodeReply;
import org.protoblock.node.sp.proto.NodeRequest;
import org.protoblock.node.testing.LocalNet;
import org.protoblock.node.wallet.NonceSource;
import org.protoblock.node.wallet.TxFactory;

/**
 * The node's SP endpoints against the reference client, Debian's {@code nngcat} (nng 1.x), over
 * the real node's sockets (tcp://, ipc:// and ws:// on the RPC port). CI installs nng-utils (.ci/run); without it these tests are skipped.
 */
class NngcatInteropTest {
    private static final TxFactory TX = new TxFactory(NonceSource.system());
    @TempDir
    static Path dir;
    private static LocalNet net;
    private static NodeApp node;
    private static RpcClient rpc;

    @BeforeAll
    static void startNode() throws Exception {
        assumeTrue(Nngcat.available(), "nngcat (Debian nng-utils) is not installed");
        net = new LocalNet(dir);
        node = net.start(spec -> spec.withSp(SpSettings.local()));
        rpc = new RpcClient(node.rpcUrl(), node.rpcToken(), Duration.ofSeconds(10));
        node.chain().produceNow().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopNode() {
        if (net != null) {
            net.close();
            assertThat(dir.resolve("node-0").resolve("sp")).as("ipc socket files removed").isEmptyDirectory();
        }
    }

    /** An endpoint's URL: tcp:// or ipc:// by name, ws://.../sp/NAME for "ws-NAME". */
    private static String url(String name) {
        if (name.startsWith("ws-")) {
            return node.rpcUrl().toString().replace("http://", "ws://") + "sp/" + name.substring(3);
        }
        return node.clientEndpoints().urls().get(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rep", "rep-ipc", "ws-rep"})
    void reqGetsTheHeightThatGetblockcountSays(String endpoint) throws Exception {
        byte[] request = NodeRequest.newBuilder().setType(NodeRequest.Type.HIGHT_REQUEST).build().toByteArray();
        assertThat(HexFormat.of().formatHex(request)).isEqualTo("5003");

        int before = rpc.call("getblockcount").asInt();

        NodeReply reply = NodeReply.parseFrom(Nngcat.request(url(endpoint), request, dir));

        // the producer may add a block meanwhile (other tests leave transactions in the mempool)
        assertThat(reply.getHight()).isPositive().isBetween(before, rpc.call("getblockcount").asInt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rep", "rep-ipc", "ws-rep"})
    void reqGetsTheGenesisBytesThatGetblockReturns(String endpoint) throws Exception {
        byte[] request = NodeRequest.newBuilder().setType(NodeRequest.Type.BLOCK_REQUEST).setNum(0).build().toByteArray();
        assertThat(HexFormat.of().formatHex(request)).isEqualTo("5002f00100");

        byte[] block = Nngcat.request(url(endpoint), request, dir);

        assertThat(HexFormat.of().formatHex(block)).isEqualTo(rpc.call("getblock", 0, 0).asText());
    }

    @Test
    void aBlockBeyondTheHeadOrANonsenseRequestGetsAnEmptyReply() throws Exception {
        byte[] beyond = NodeRequest.newBuilder().setType(NodeRequest.Type.BLOCK_REQUEST).setNum(1_000_000).build().toByteArray();
        byte[] natTest = NodeRequest.newBuilder().setType(NodeRequest.Type.NAT_TEST).build().toByteArray();
        byte[] garbage = {(byte) 0xff, (byte) 0xff, 0x01};

        assertThat(Nngcat.request(url("rep"), beyond, dir)).isEmpty();
        assertThat(Nngcat.request(url("rep"), natTest, dir)).isEmpty();
        assertThat(Nngcat.request(url("rep"), garbage, dir)).isEmpty();
        // and the node still answers
        byte[] height = NodeRequest.newBuilder().setType(NodeRequest.Type.HIGHT_REQUEST).build().toByteArray();
        assertThat(NodeReply.parseFrom(Nngcat.request(url("rep"), height, dir)).hasHight()).isTrue();
    }

    @Test
    void handshakeGetsTheHeight() throws Exception {
        byte[] request = NodeRequest.newBuilder().setType(NodeRequest.Type.HANDSHAKE).setMyip("198.51.100.7").build().toByteArray();

        int before = node.chain().head().num();

        NodeReply reply = NodeReply.parseFrom(Nngcat.request(url("rep"), request, dir));

        assertThat(reply.hasHight()).isTrue();
        assertThat(reply.getHight()).isBetween(before, node.chain().head().num());
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocks", "blocks-ipc", "ws-blocks"})
    void subReceivesTheNextBlock(String endpoint) throws Exception {
        SpPublisher topic = node.clientEndpoints().blockTopic().orElseThrow();
        long before = topic.subscribedTotal(); // not the current count: an earlier test's subscriber may still be leaving
        int height = node.chain().head().num();
        try (Nngcat sub = Nngcat.start("--sub", "--dial=" + url(endpoint), "--count=1", "--recv-timeout=10")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> topic.subscribedTotal() > before);

            node.chain().produceNow().get(10, TimeUnit.SECONDS);

            // the first block after subscribing: ours, or one the producer's timer made meanwhile
            byte[] received = sub.output();
            int num = Block.parseFrom(received, ChainCodec.EXTENSIONS).getSignedhead().getHead().getNum();
            assertThat(num).isGreaterThan(height);
            assertThat(received).isEqualTo(node.chain().blockAt(num).orElseThrow().proto().toByteArray());
        }
    }

    @ParameterizedTest
    @CsvSource({"submit,txs", "ws-submit,ws-txs", "submit-ipc,txs-ipc"})
    void aSubmittedTransactionIsAcceptedAndPublished(String submit, String txs) throws Exception {
        SpPublisher topic = node.clientEndpoints().txTopic().orElseThrow();
        long before = topic.subscribedTotal();
        ChainTransaction tx = TX.nameRegistration("sp-submit-" + System.nanoTime(), KeyPair.generate());
        try (Nngcat sub = Nngcat.start("--sub", "--dial=" + url(txs), "--count=1", "--recv-timeout=10")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> topic.subscribedTotal() > before);

            byte[] reply = Nngcat.request(url(submit), tx.proto().toByteArray(), dir);

            assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("accepted " + tx.id().toHex());
            assertThat(sub.output()).isEqualTo(tx.proto().toByteArray());
        }
    }

    @Test
    void aBadTransactionIsRejectedWithItsRule() throws Exception {
        ChainTransaction tx = TX.data("nobody-registered-this", KeyPair.generate());

        byte[] reply = Nngcat.request(url("submit"), tx.proto().toByteArray(), dir);

        assertThat(new String(reply, StandardCharsets.UTF_8)).startsWith("rejected ");
    }
}
