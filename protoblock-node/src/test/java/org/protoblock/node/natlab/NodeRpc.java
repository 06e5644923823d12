package org.protoblock.node.natlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;

/**
 * A node's JSON-RPC on 127.0.0.1 inside its namespace, which the test JVM (in the root namespace)
 * cannot reach: each call is {@code ip netns exec NS curl ...}, bounded by curl's own -m and a kill.
 */
final class NodeRpc {
    static final int DEFAULT_PORT = 8080;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Netns netns;
    private final int port;

    NodeRpc(Netns netns, int port) {
        this.netns = netns;
        this.port = port;
    }

    /** An error answer of the node (the call reached it). */
    static final class RpcError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RpcError(String method, JsonNode error) {
            super(method + ": " + error);
        }
    }

    /** The method's result; {@link RpcError} when the node answers with an error, IllegalStateException when it does not answer. */
    JsonNode call(String method, Object... params) {
        ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", method);
        ArrayNode array = request.putArray("params");
        for (Object p : params) {
            array.addPOJO(p);
        }
        Command.Result r = netns.attempt(CALL_TIMEOUT, "curl", "-s", "-m", "5", "-H", "Content-Type: application/json",
                "-d", request.toString(), "http://127.0.0.1:" + port + "/");
        if (!r.ok() || r.output().isBlank()) {
            throw new IllegalStateException(netns + " RPC " + method + ": curl exited " + r.exitCode() + " " + r.output().strip());
        }
        JsonNode reply;
        try {
            reply = JSON.readTree(r.output());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(netns + " RPC " + method + ": not JSON: " + r.output(), e);
        }
        if (reply.hasNonNull("error")) {
            throw new RpcError(method, reply.get("error"));
        }
        return reply.path("result");
    }

    /** The result, or empty while the node does not answer (or answers with an error). */
    Optional<JsonNode> tryCall(String method, Object... params) {
        try {
            return Optional.of(call(method, params));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
