package org.protoblock.node.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.node.app.NodeApp;
import org.protoblock.node.sp.SpSettings;
import org.protoblock.node.testing.LocalNet;
import org.protoblock.node.testing.WsClient;

/**
 * Finding 7 of issue 10: a web page the operator visits must not reach the RPC port. Requests
 * written byte by byte on a socket, as a browser (or a DNS-rebinding page) would send them.
 */
class BrowserAccessTest {
    private static final String EVIL = "http://evil.example";

    @TempDir
    static Path dir;
    static LocalNet net;
    static NodeApp node;
    static NodeApp target;
    static InetSocketAddress rpc;

    @BeforeAll
    static void start() throws Exception {
        net = new LocalNet(dir);
        node = net.start(spec -> spec.withSp(SpSettings.local())
                .withRpcAccess(new RpcAccess(List.of("node.example"), List.of("https://app.example/"))));
        target = net.start();
        rpc = new InetSocketAddress("127.0.0.1", node.rpcUrl().getPort());
    }

    @AfterAll
    static void stop() {
        net.close();
    }

    private static String addNode() {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"addnode\",\"params\":[\"" + target.p2pAddress().host() + ":"
                + target.p2pAddress().port() + "\",\"onetry\"]}";
    }

    /** The status line's code and the whole answer of one request on a fresh connection. */
    private static Answer send(String method, String path, Map<String, String> headers, String body) throws IOException {
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        if (!headers.containsKey("Host")) {
            request.append("Host: 127.0.0.1:").append(rpc.getPort()).append("\r\n");
        }
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        request.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(rpc, 5_000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(Integer.parseInt(text.split(" ", 3)[1]), text);
        }
    }

    private record Answer(int status, String text) {
    }

    private static Map<String, String> json(Map<String, String> more) {
        Map<String, String> headers = new java.util.LinkedHashMap<>(more);
        headers.putIfAbsent("Content-Type", "application/json");
        return headers;
    }

    @Test
    void aForeignOriginGets403AndAddnodeDoesNothing() throws Exception {
        Answer answer = send("POST", "/", json(Map.of("Origin", EVIL)), addNode());

        assertThat(answer.status()).as(answer.text()).isEqualTo(403);
        // addnode answers only once the dial is done: a refused request that had run would show a link
        assertThat(node.p2p().host().sessionCount()).isZero();
        assertThat(target.p2p().host().sessionCount()).isZero();
        assertThat(node.p2p().peerManager().operator().peers()).isEmpty();
    }

    @Test
    void aForeignHostGets403() throws Exception {
        Answer rebound = send("POST", "/", json(Map.of("Host", "evil.example:" + rpc.getPort())),
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getblockcount\"}");
        Answer metrics = send("GET", "/metrics", Map.of("Host", "evil.example"), "");

        assertThat(rebound.status()).as(rebound.text()).isEqualTo(403);
        assertThat(rebound.text()).doesNotContain("result");
        assertThat(metrics.status()).isEqualTo(403);
    }

    @Test
    void aSimpleRequestTypeGets415() throws Exception {
        // the types a page may POST across origins without a preflight
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
            Answer answer = send("POST", "/", Map.of("Content-Type", type), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getblockcount\"}");
            assertThat(answer.status()).as(type).isEqualTo(415);
        }
        assertThat(send("POST", "/", Map.of(), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getblockcount\"}").status()).isEqualTo(415);
    }

    @Test
    void theNodesOwnOriginsConfiguredOnesAndNoOriginPass() throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getblockcount\"}";
        int port = rpc.getPort();
        for (Map<String, String> headers : List.of(
                Map.<String, String>of(),
                Map.of("Origin", "http://127.0.0.1:" + port),
                Map.of("Origin", "http://localhost:" + port, "Host", "localhost:" + port),
                Map.of("Origin", "http://localhost:" + port),
                Map.of("Origin", "https://app.example"),
                Map.of("Host", "node.example:" + port),
                Map.of("Host", "NODE.example:" + port, "Origin", "http://node.example:" + port),
                Map.of("Content-Type", "application/json; charset=utf-8"))) {
            Answer answer = send("POST", "/", json(headers), body);
            assertThat(answer.status()).as(headers + ": " + answer.text()).isEqualTo(200);
        }
        for (String origin : List.of("http://localhost:" + (port + 1), "null", "http://127.0.0.1.evil.example:" + port,
                "file://", "https://app.example.evil")) {
            assertThat(send("POST", "/", json(Map.of("Origin", origin)), body).status()).as(origin).isEqualTo(403);
        }
    }

    @Test
    void aWebSocketUpgradeFromAForeignOriginIsRefused() throws Exception {
        for (String path : List.of("/ws", "/sp/rep", "/sp/blocks")) {
            Answer answer = send("GET", path, Map.of("Origin", EVIL, "Upgrade", "websocket", "Connection", "Upgrade",
                    "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version", "13"), "");
            assertThat(answer.status()).as(path).isEqualTo(403);
        }
        URI ws = URI.create("ws://127.0.0.1:" + rpc.getPort() + "/ws");
        assertThatThrownBy(() -> WsClient.connect(ws, Map.of("Origin", EVIL)).close())
                .hasStackTraceContaining("403");
        // the dashboard's own upgrade: Origin is the page's
        try (WsClient own = WsClient.connect(ws, Map.of("Origin", "http://127.0.0.1:" + rpc.getPort()))) {
            assertThat(own.call(1, "getblockcount", "[]").get("result").asInt()).isEqualTo(node.chain().head().num());
        }
    }
}
