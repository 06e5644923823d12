package org.protoblock.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** A blocking JSON-RPC 2.0 client of a node, for the CLI and tests. Thread-safe. */
public final class RpcClient {
    /** Responses larger than this are refused (a block is at most 4 MiB, twice that as hex, plus JSON). */
    public static final int MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

    private final URI uri;
    private final Optional<String> token;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicLong ids = new AtomicLong();

    public RpcClient(URI uri, Optional<String> token, Duration timeout) {
        this.uri = uri;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public URI uri() {
        return uri;
    }

    /** Calls {@code method} with positional params; the result, or {@link RpcCallException} carrying the error object. */
    public JsonNode call(String method, Object... params) throws IOException, RpcCallException {
        ObjectNode request = mapper.createObjectNode();
        request.put("jsonrpc", "2.0");
        request.put("id", ids.incrementAndGet());
        request.put("method", method);
        ArrayNode array = request.putArray("params");
        for (Object p : params) {
            array.add(mapper.valueToTree(p));
        }
        JsonNode response = post(mapper.writeValueAsBytes(request));
        JsonNode error = response.get("error");
        if (error != null && !error.isNull()) {
            throw new RpcCallException(error.path("code").asInt(), error.path("message").asText(), error.path("data"));
        }
        return response.path("result");
    }

    /** Posts raw bytes; the parsed JSON reply. */
    public JsonNode post(byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() == 401) {
            throw new IOException("the node requires its RPC token (--rpc-token or PROTOBLOCK_RPC_TOKEN)");
        }
        if (response.statusCode() == 403) { // the node's browser guard: say which name or origin to allow
            String why = new String(response.body(), 0, Math.min(response.body().length, 200), java.nio.charset.StandardCharsets.UTF_8);
            throw new IOException("HTTP 403 from " + uri + ": " + why.strip());
        }
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " from " + uri);
        }
        if (response.body().length > MAX_RESPONSE_BYTES) {
            throw new IOException("response larger than " + MAX_RESPONSE_BYTES + " bytes");
        }
        return mapper.readTree(response.body());
    }

    /** A JSON-RPC error answer. */
    public static final class RpcCallException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int code;
        private final transient JsonNode data;

        public RpcCallException(int code, String message, JsonNode data) {
            super(message, null, false, false);
            this.code = code;
            this.data = data;
        }

        public int code() {
            return code;
        }

        public JsonNode data() {
            return data;
        }
    }
}
