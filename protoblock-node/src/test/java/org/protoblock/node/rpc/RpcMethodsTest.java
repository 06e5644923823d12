package org.protoblock.node.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.node.app.NodeApp;
import org.protoblock.node.testing.LocalNet;
import org.protoblock.node.wallet.NonceSource;
import org.protoblock.node.wallet.TxFactory;

/** Every JSON-RPC method over real HTTP, against real nodes: 0 produces, 1 is its peer, 2 is alone. */
class RpcMethodsTest {
    @TempDir
    static Path dir;
    static LocalNet net;
    static NodeApp producer;
    static NodeApp peer;
    static NodeApp alone;
    static final TxFactory TX = new TxFactory(NonceSource.system());

    @BeforeAll
    static void start() throws Exception {
        net = new LocalNet(dir);
        producer = net.start();
        peer = net.start();
        alone = net.start();
        peer.p2p().dial(producer.p2pAddress()).get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        net.close();
    }

    static RpcClient client(NodeApp node) {
        return new RpcClient(node.rpcUrl(), Optional.empty(), Duration.ofSeconds(20));
    }

    @Test
    void blockCountAndBestHashFollowTheHead() throws Exception {
        producer.chain().produceNow().get(30, java.util.concurrent.TimeUnit.SECONDS);
        RpcClient rpc = client(producer);
        assertThat(rpc.call("getblockcount").asInt()).isEqualTo(producer.chain().head().num()).isPositive();
        assertThat(rpc.call("getbestblockhash").asText()).isEqualTo(producer.chain().head().id().toHex());
        JsonNode tips = rpc.call("getchaintips");
        assertThat(tips).hasSize(1);
        assertThat(tips.get(0).get("status").asText()).isEqualTo("active");
    }

    @Test
    void getblockByHeightOrIdInEveryVerbosity() throws Exception {
        RpcClient rpc = client(producer);
        ChainBlock genesis = producer.chain().blockAt(0).orElseThrow();
        JsonNode byHeight = rpc.call("getblock", 0);
        assertThat(byHeight.get("hash").asText()).isEqualTo(genesis.id().toHex());
        assertThat(byHeight.get("height").asInt()).isZero();
        assertThat(byHeight.get("tx")).hasSize(genesis.transactions().size());
        assertThat(byHeight.get("tx").get(1).get("type").asText()).isEqualTo("NAME");
        assertThat(byHeight.get("tx").get(1).get("name").asText()).isEqualTo("FantasyAgent");
        assertThat(byHeight.get("tx").get(0).get("txid").asText()).isEqualTo(genesis.transactions().get(0).id().toHex());

        assertThat(rpc.call("getblock", genesis.id().toHex())).isEqualTo(byHeight);
        String hex = rpc.call("getblock", 0, 0).asText();
        assertThat(new ChainCodec(ChainLimits.DEFAULT).parseBlock(HexFormat.of().parseHex(hex)).id()).isEqualTo(genesis.id());
        assertThat(rpc.call("getblock", 0, 2).get("tx").get(0).get("hex").asText()).isNotEmpty();

        assertThat(rpc.call("getblockheader", 0).get("hash").asText()).isEqualTo(genesis.id().toHex());
        assertThat(rpc.call("getblockheader", genesis.id().toHex(), false).asText())
                .isEqualTo(HexFormat.of().formatHex(genesis.proto().getSignedhead().toByteArray()));
    }

    @Test
    void missingBlocksAndBadReferencesAreErrors() {
        RpcClient rpc = client(producer);
        assertThatThrownBy(() -> rpc.call("getblock", 1_000_000)).hasMessageContaining("not found")
                .extracting(e -> ((RpcClient.RpcCallException) e).code()).isEqualTo(RpcException.NOT_FOUND);
        assertThatThrownBy(() -> rpc.call("getblock", true))
                .extracting(e -> ((RpcClient.RpcCallException) e).code()).isEqualTo(RpcException.INVALID_PARAMS);
        assertThatThrownBy(() -> rpc.call("getblock", 0, "one"))
                .extracting(e -> ((RpcClient.RpcCallException) e).code()).isEqualTo(RpcException.INVALID_PARAMS);
        assertThatThrownBy(() -> rpc.call("getblockcount", 1))
                .extracting(e -> ((RpcClient.RpcCallException) e).code()).isEqualTo(RpcException.INVALID_PARAMS);
    }

    @Test
    void sendRawTransactionFillsTheMempoolAndNamesTheBrokenRule() throws Exception {
        RpcClient rpc = client(alone);
        KeyPair key = KeyPair.generate();
        ChainTransaction name = TX.nameRegistration("rpc-alice", key);
        String hex = HexFormat.of().formatHex(name.proto().toByteArray());
        assertThat(rpc.call("sendrawtransaction", hex).asText()).isEqualTo(name.id().toHex());
        assertThat(rpc.call("getrawmempool")).extracting(JsonNode::asText).contains(name.id().toHex());
        assertThat(rpc.call("getmempoolinfo").get("size").asInt()).isEqualTo(alone.chain().mempoolSize()).isPositive();

        assertThatThrownBy(() -> rpc.call("sendrawtransaction", hex)).isInstanceOfSatisfying(RpcClient.RpcCallException.class, e -> {
            assertThat(e.code()).isEqualTo(RpcException.VERIFY_REJECTED);
            assertThat(e.getMessage()).contains("ALREADY_IN_MEMPOOL");
            assertThat(e.data().get("rule").asText()).isEqualTo("ALREADY_IN_MEMPOOL");
        });
        ChainTransaction unknown = TX.data("nobody-registered-this", KeyPair.generate());
        assertThatThrownBy(() -> rpc.call("sendrawtransaction", HexFormat.of().formatHex(unknown.proto().toByteArray())))
                .hasMessageContaining("UNKNOWN_NAME");
        assertThatThrownBy(() -> rpc.call("sendrawtransaction", "00ff")).hasMessageContaining("MALFORMED_ENCODING");
        assertThatThrownBy(() -> rpc.call("sendrawtransaction", "xyz1"))
                .extracting(e -> ((RpcClient.RpcCallException) e).code()).isEqualTo(RpcException.INVALID_PARAMS);
        assertThatThrownBy(() -> rpc.call("sendrawtransaction", 12))
                .extracting(e -> ((RpcClient.RpcCallException) e).code()).isEqualTo(RpcException.INVALID_PARAMS);
    }

    @Test
    void aRegisteredNameSignsDataThatGetsIncluded() throws Exception {
        RpcClient rpc = client(producer);
        KeyPair key = KeyPair.generate();
        ChainTransaction name = TX.nameRegistration("rpc-bob", key);
        rpc.call("sendrawtransaction", HexFormat.of().formatHex(name.proto().toByteArray()));
        await().atMost(Duration.ofSeconds(20)).until(() -> producer.chain().store().txLocation(name.id()).isPresent());
        ChainTransaction data = TX.data("rpc-bob", key);
        rpc.call("sendrawtransaction", HexFormat.of().formatHex(data.proto().toByteArray()));
        await().atMost(Duration.ofSeconds(20)).until(() -> producer.chain().store().txLocation(data.id()).isPresent());
        int num = producer.chain().store().txLocation(data.id()).orElseThrow().num();
        assertThat(rpc.call("getblock", num).get("tx")).extracting(t -> t.get("txid").asText()).contains(data.id().toHex());
    }

    @Test
    void peerAndNetworkInfo() throws Exception {
        JsonNode peers = client(producer).call("getpeerinfo");
        assertThat(peers).hasSize(1);
        JsonNode p = peers.get(0);
        assertThat(p.get("id").asText()).isEqualTo(peer.p2p().host().nodeId().hex());
        assertThat(p.get("inbound").asBoolean()).isTrue();
        assertThat(p.get("connection").asText()).isEqualTo("direct");
        assertThat(p.get("addr").asText()).startsWith("tcp://127.0.0.1:");
        assertThat(p.has("height")).isTrue();
        assertThat(p.get("agent").asText()).startsWith("protoblock-node/");
        assertThat(p.has("latency")).isTrue();
        assertThat(client(peer).call("getpeerinfo").get(0).get("inbound").asBoolean()).isFalse();

        JsonNode info = client(producer).call("getnetworkinfo");
        assertThat(info.get("networkid").asText()).isEqualTo(net.devnet().network().networkId());
        assertThat(info.get("nodeid").asText()).isEqualTo(producer.p2p().host().nodeId().hex());
        // Its own signed record: on loopback the listen address needs no verification.
        assertThat(info.get("peerrecord").get("sequence").asLong()).isPositive();
        assertThat(info.get("peerrecord").get("addresses").findValuesAsText("address"))
                .contains(producer.p2p().host().listenAddresses().get(0).toString());
        assertThat(info.get("connections").asInt()).isEqualTo(1);
        assertThat(info.get("producer").asBoolean()).isTrue();
        assertThat(info.get("warnings").asText()).isEmpty();
        // On loopback, with no gateway asked: no verdict, nothing verified, no mapping.
        assertThat(info.get("reachability").asText()).isEqualTo("unknown");
        assertThat(info.get("externaladdresses").isArray()).isTrue();
        assertThat(info.get("externaladdresses")).isEmpty();
        assertThat(info.get("portmapping").isNull()).isTrue();
        assertThat(client(producer).call("getconnectioncount").asInt()).isEqualTo(1);
    }

    @Test
    void getnodeaddressesListsTheAddressBook() throws Exception {
        // The peer sent the producer its own record after dialing it (self-advertisement).
        String peerId = peer.p2p().host().nodeId().hex();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                java.util.stream.StreamSupport.stream(client(producer).call("getnodeaddresses").spliterator(), false)
                        .anyMatch(a -> a.get("nodeid").asText().equals(peerId)));
        JsonNode entry = java.util.stream.StreamSupport.stream(client(producer).call("getnodeaddresses", 10).spliterator(), false)
                .filter(a -> a.get("nodeid").asText().equals(peerId)).findFirst().orElseThrow();
        assertThat(entry.get("address").asText()).isEqualTo(peer.p2pAddress().toString());
        assertThat(entry.get("time").asLong()).isPositive();
        assertThatThrownBy(() -> client(producer).call("getnodeaddresses", -1))
                .extracting(e -> ((RpcClient.RpcCallException) e).code()).isEqualTo(RpcException.INVALID_PARAMS);
    }

    @Test
    void addnodeDialsAndDisconnectnodeDrops() throws Exception {
        RpcClient rpc = client(alone);
        JsonNode added = rpc.call("addnode", producer.p2pAddress().host() + ":" + producer.p2pAddress().port(), "onetry");
        String producerId = producer.p2p().host().nodeId().hex();
        assertThat(added.get("id").asText()).isEqualTo(producerId);
        assertThat(rpc.call("getpeerinfo")).extracting(n -> n.get("id").asText()).contains(producerId);
        assertThat(rpc.call("disconnectnode", "", producerId).isNull()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> alone.p2p().host().sessionCount() == 0);
        assertThatThrownBy(() -> rpc.call("disconnectnode", "", producerId))
                .extracting(e -> ((RpcClient.RpcCallException) e).code()).isEqualTo(RpcException.NODE_NOT_CONNECTED);
        assertThatThrownBy(() -> rpc.call("addnode", "127.0.0.1:1"))
                .extracting(e -> ((RpcClient.RpcCallException) e).code()).isEqualTo(RpcException.MISC_ERROR);
        assertThatThrownBy(() -> rpc.call("addnode", "no port"))
                .extracting(e -> ((RpcClient.RpcCallException) e).code()).isEqualTo(RpcException.INVALID_PARAMS);
    }

    @Test
    void syncStatusOfANodeInStep() throws Exception {
        JsonNode status = client(peer).call("getsyncstatus");
        assertThat(status.get("syncing").isBoolean()).isTrue();
        assertThat(status.get("height").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(status.get("progress").asDouble()).isBetween(0.0, 1.0);
        assertThat(List.of("target", "headhash", "blockspersecond")).allMatch(status::has);
    }
}
