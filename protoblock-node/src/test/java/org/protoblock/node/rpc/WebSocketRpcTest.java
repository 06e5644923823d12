package org.protoblock.node.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.node.app.NodeApp;
import org.protoblock.node.testing.LocalNet;
import org.protoblock.node.testing.WsClient;
import org.protoblock.node.wallet.NonceSource;
import org.protoblock.node.wallet.TxFactory;

/** JSON-RPC over WebSocket on a real node: methods, subscriptions and their bounds. */
class WebSocketRpcTest {
    private static final TxFactory TX = new TxFactory(NonceSource.system());

    @TempDir
    Path dir;

    private static URI ws(NodeApp node) {
        return URI.create(node.rpcUrl().toString().replace("http://", "ws://") + "ws");
    }

    @Test
    void methodsAnswerAndNewHeadsArriveAsNotifications() throws Exception {
        try (LocalNet net = new LocalNet(dir); WsClient client = WsClient.connect(ws(net.start()))) {
            NodeApp node = net.node(0);
            assertThat(client.call(1, "getblockcount", "[]").get("result").asInt()).isEqualTo(node.chain().head().num());

            String id = client.call(2, "subscribe", "[\"newHeads\"]").get("result").asText();
            node.chain().produceNow().get(10, TimeUnit.SECONDS);

            JsonNode note = client.next();
            assertThat(note.get("method").asText()).isEqualTo("subscription");
            assertThat(note.get("params").get("subscription").asText()).isEqualTo(id);
            JsonNode head = note.get("params").get("result");
            assertThat(head.get("number").asInt()).isEqualTo(node.chain().head().num());
            assertThat(head.get("hash").asText()).isEqualTo(node.chain().head().id().toHex());
        }
    }

    @Test
    void ethSubscribeGetsGethsShapeAndNewTransactions() throws Exception {
        try (LocalNet net = new LocalNet(dir); WsClient client = WsClient.connect(ws(net.start()))) {
            NodeApp node = net.node(0);
            String id = client.call(1, "eth_subscribe", "[\"newPendingTransactions\"]").get("result").asText();
            ChainTransaction tx = TX.nameRegistration("ws-sub", KeyPair.generate());

            node.chain().submitTransaction(tx).get(10, TimeUnit.SECONDS);

            JsonNode note = client.next();
            assertThat(note.get("method").asText()).isEqualTo("eth_subscription");
            assertThat(note.get("params").get("subscription").asText()).isEqualTo(id);
            assertThat(note.get("params").get("result").get("txid").asText()).isEqualTo(tx.id().toHex());
        }
    }

    @Test
    void peerEventsArriveWhenAPeerConnects() throws Exception {
        try (LocalNet net = new LocalNet(dir); WsClient client = WsClient.connect(ws(net.start()))) {
            NodeApp node = net.node(0);
            client.call(1, "subscribe", "[\"peers\"]");
            NodeApp peer = net.start();

            peer.p2p().dial(node.p2pAddress()).get(10, TimeUnit.SECONDS);

            JsonNode event = client.next().get("params").get("result");
            assertThat(event.get("event").asText()).isEqualTo("connected");
            assertThat(event.get("id").asText()).isEqualTo(peer.p2p().host().nodeId().hex());
            assertThat(event.get("inbound").asBoolean()).isTrue();
        }
    }

    @Test
    void anUnknownWebSocketPathIsRefused() throws Exception {
        try (LocalNet net = new LocalNet(dir)) {
            NodeApp node = net.start();
            URI nowhere = URI.create(node.rpcUrl().toString().replace("http://", "ws://") + "nowhere");

            assertThatThrownBy(() -> WsClient.connect(nowhere).close())
                    .hasCauseInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(404));
        }
    }

    @Test
    void afterUnsubscribeNothingMoreArrives() throws Exception {
        try (LocalNet net = new LocalNet(dir); WsClient client = WsClient.connect(ws(net.start()))) {
            NodeApp node = net.node(0);
            String id = client.call(1, "subscribe", "[\"newHeads\"]").get("result").asText();
            assertThat(client.call(2, "unsubscribe", "[\"" + id + "\"]").get("result").asBoolean()).isTrue();
            assertThat(client.call(3, "unsubscribe", "[\"" + id + "\"]").get("result").asBoolean()).isFalse();

            node.chain().produceNow().get(10, TimeUnit.SECONDS);

            // the next message is the answer to a later call, not a notification
            assertThat(client.call(4, "getblockcount", "[]").get("result").asInt()).isEqualTo(node.chain().head().num());
            await().atMost(Duration.ofSeconds(5)).until(() -> findLive(node).subscriptionCount() == 0);
        }
    }

    @Test
    void subscriptionsPerConnectionAreBoundedAndUnknownKindsRefused() throws Exception {
        try (LocalNet net = new LocalNet(dir); WsClient client = WsClient.connect(ws(net.start()))) {
            for (int i = 0; i < LiveEvents.MAX_PER_CONNECTION; i++) {
                assertThat(client.call(i, "subscribe", "[\"peers\"]").has("result")).isTrue();
            }

            JsonNode over = client.call(100, "subscribe", "[\"peers\"]");
            JsonNode unknown = client.call(101, "subscribe", "[\"logs\"]");

            assertThat(over.get("error").get("code").asInt()).isEqualTo(RpcException.INVALID_PARAMS);
            assertThat(unknown.get("error").get("message").asText()).contains("unknown subscription");
        }
    }

    @Test
    void aNodeThatRequiresTheTokenRefusesTheUpgradeWithoutIt() throws Exception {
        try (LocalNet net = new LocalNet(dir)) {
            NodeApp node = net.start(spec -> spec.withRequireRpcToken(true));

            assertThatThrownBy(() -> WsClient.connect(ws(node)).close())
                    .hasCauseInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(401));
            try (WsClient client = WsClient.connect(ws(node), Map.of("Authorization", "Bearer " + node.rpcToken().orElseThrow()))) {
                assertThat(client.call(1, "getblockcount", "[]").has("result")).isTrue();
            }
        }
    }

    @Test
    void moreWebSocketsThanHttpConnectionsLeaveHttpServing() throws Exception {
        try (LocalNet net = new LocalNet(dir)) {
            NodeApp node = net.start();
            java.util.List<WsClient> idle = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < RpcServer.MAX_CONNECTIONS + 6; i++) {
                    idle.add(WsClient.connect(ws(node)));
                }

                RpcClient rpc = new RpcClient(node.rpcUrl(), java.util.Optional.empty(), Duration.ofSeconds(10));

                assertThat(rpc.call("getblockcount").asInt()).isEqualTo(node.chain().head().num());
            } finally {
                idle.forEach(WsClient::close);
            }
        }
    }

    private static LiveEvents findLive(NodeApp node) {
        return node.liveEvents();
    }
}
