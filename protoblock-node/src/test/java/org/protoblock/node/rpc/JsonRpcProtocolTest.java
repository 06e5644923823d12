package org.protoblock.node.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.node.app.NodeApp;
import org.protoblock.node.testing.Http;
import org.protoblock.node.testing.LocalNet;

/** JSON-RPC 2.0 framing over real HTTP: errors, batches, limits, routes, /metrics. */
class JsonRpcProtocolTest {
    @TempDir
    static Path dir;
    static LocalNet net;
    static NodeApp node;
    static URI uri;

    @BeforeAll
    static void start() throws Exception {
        net = new LocalNet(dir);
        node = net.start();
        uri = node.rpcUrl();
    }

    @AfterAll
    static void stop() {
        net.close();
    }

    static JsonNode post(String body) throws Exception {
        HttpResponse<String> response = Http.post(uri, body);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        return Http.json(response);
    }

    static void assertError(JsonNode reply, int code) {
        assertThat(reply.get("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(reply.get("error").get("code").asInt()).as(reply.toString()).isEqualTo(code);
        assertThat(reply.get("error").get("message").asText()).isNotEmpty();
        assertThat(reply.has("result")).isFalse();
    }

    @Test
    void aGoodRequestEchoesItsId() throws Exception {
        JsonNode reply = post("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"getblockcount\"}");
        assertThat(reply.get("id").asText()).isEqualTo("abc");
        assertThat(reply.get("result").asInt()).isEqualTo(node.chain().head().num());
        assertThat(post("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"getblock\",\"params\":{\"blockhash\":0,\"verbosity\":1}}")
                .get("result").get("height").asInt()).isZero();
    }

    @Test
    void malformedJsonIsAParseError() throws Exception {
        JsonNode reply = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":");
        assertError(reply, RpcException.PARSE_ERROR);
        assertThat(reply.get("id").isNull()).isTrue();
        assertError(post(""), RpcException.PARSE_ERROR);
    }

    @Test
    void unknownMethodIsMethodNotFound() throws Exception {
        JsonNode reply = post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"stop\"}");
        assertError(reply, RpcException.METHOD_NOT_FOUND);
        assertThat(reply.get("id").asInt()).isEqualTo(2);
    }

    @Test
    void invalidRequests() throws Exception {
        assertError(post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":5}"), RpcException.INVALID_REQUEST);
        assertError(post("{\"jsonrpc\":\"1.0\",\"id\":3,\"method\":\"getblockcount\"}"), RpcException.INVALID_REQUEST);
        assertError(post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"getblockcount\",\"params\":7}"), RpcException.INVALID_REQUEST);
        assertError(post("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"getblockcount\"}"), RpcException.INVALID_REQUEST);
        assertError(post("42"), RpcException.INVALID_REQUEST);
        assertError(post("[]"), RpcException.INVALID_REQUEST);
    }

    @Test
    void wrongParamTypesAreInvalidParams() throws Exception {
        assertError(post("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"getblock\",\"params\":[{}]}"), RpcException.INVALID_PARAMS);
        assertError(post("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"getblock\",\"params\":[0,\"x\"]}"), RpcException.INVALID_PARAMS);
        assertError(post("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"getblock\",\"params\":{\"height\":0}}"), RpcException.INVALID_PARAMS);
        assertError(post("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"sendrawtransaction\",\"params\":[]}"), RpcException.INVALID_PARAMS);
        assertError(post("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"getblockheader\",\"params\":[0,\"yes\"]}"), RpcException.INVALID_PARAMS);
    }

    @Test
    void batchAnswersEachRequestButNotNotifications() throws Exception {
        JsonNode reply = post("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getblockcount\"},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"getblockcount\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"nope\"},"
                + "17]");
        assertThat(reply.isArray()).isTrue();
        assertThat(reply).hasSize(3);
        assertThat(reply.get(0).get("result").asInt()).isEqualTo(node.chain().head().num());
        assertError(reply.get(1), RpcException.METHOD_NOT_FOUND);
        assertError(reply.get(2), RpcException.INVALID_REQUEST);

        HttpResponse<String> onlyNotifications = Http.post(uri, "[{\"jsonrpc\":\"2.0\",\"method\":\"getblockcount\"}]");
        assertThat(onlyNotifications.statusCode()).isEqualTo(204);
        StringBuilder big = new StringBuilder("[");
        for (int i = 0; i <= JsonRpcDispatcher.MAX_BATCH; i++) {
            big.append(i == 0 ? "" : ",").append("{\"jsonrpc\":\"2.0\",\"id\":").append(i).append(",\"method\":\"getblockcount\"}");
        }
        assertError(post(big.append("]").toString()), RpcException.INVALID_REQUEST);
    }

    @Test
    void oversizeRequestIsRefusedWith413() throws Exception {
        byte[] body = new byte[RpcServer.MAX_REQUEST_BYTES + 1];
        Arrays.fill(body, (byte) ' ');
        assertThat(Http.post(uri, body, Map.of()).statusCode()).isEqualTo(413);
        assertThat(post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getblockcount\"}").get("result").isInt()).isTrue();
    }

    @Test
    void otherRoutesAndMethods() throws Exception {
        assertThat(Http.get(uri, Map.of()).statusCode()).as("GET / is the dashboard").isEqualTo(200);
        assertThat(Http.get(uri.resolve("/nope"), Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        HttpResponse<String> response = Http.get(uri.resolve("/metrics"), Map.of());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        assertThat(response.body()).contains("protoblock_chain_height{", "protoblock_peers{direction=\"in\"",
                "protoblock_peers{direction=\"out\"", "protoblock_mempool_size{", "protoblock_store_size_bytes{",
                "protoblock_sync_progress{", "protoblock_blocks_connected_total{", "protoblock_transactions_included_total{",
                "protoblock_p2p_tx_bodies_duplicate_total{", "protoblock_handshake_failures_total{",
                "reason=\"WRONG_NETWORK\"");
        assertThat(response.body()).as("the JVM binders, for soaks").contains("jvm_memory_used_bytes{area=\"heap\"",
                "jvm_gc_live_data_size_bytes{", "jvm_threads_live_threads{", "jvm_classes_loaded_classes{");
    }
}
