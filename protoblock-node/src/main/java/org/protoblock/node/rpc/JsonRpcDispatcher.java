package org.protoblock.node.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.protoblock.chain.types.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC 2.0 over bytes: parses a request or a batch, calls the methods, and builds the
 * response objects (standard error objects for parse errors, invalid requests, unknown methods,
 * bad params, internal errors). No I/O: the HTTP handler feeds it. Thread-safe.
 *
 * <p>Rules: a batch holds 1..{@value #MAX_BATCH} requests, run one after the other until their
 * answers reach {@value #MAX_BATCH_RESPONSE_BYTES} bytes (the rest get error -32003); notifications (no {@code id}) get no
 * response, and a request made only of notifications yields an empty result (HTTP 204);
 * {@code jsonrpc}, when present, must be "2.0" (absent is tolerated, as Bitcoin Core's clients
 * send 1.0-style requests); {@code params} is absent, an array or an object.
 */
public final class JsonRpcDispatcher {
    private static final Logger log = LoggerFactory.getLogger(JsonRpcDispatcher.class);
    public static final int MAX_BATCH = 100;
    /** Bytes of answers after which a batch runs no more of its requests. */
    public static final int MAX_BATCH_RESPONSE_BYTES = 16 * 1024 * 1024;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ObjectMapper mapper;
    private final Map<String, RpcMethod> methods;
    private final long maxBatchResponseBytes;

    public JsonRpcDispatcher(ObjectMapper mapper, Map<String, RpcMethod> methods) {
        this(mapper, methods, MAX_BATCH_RESPONSE_BYTES);
    }

    /** With another batch answer budget (tests). */
    JsonRpcDispatcher(ObjectMapper mapper, Map<String, RpcMethod> methods, long maxBatchResponseBytes) {
        this.mapper = mapper;
        this.methods = Map.copyOf(methods);
        this.maxBatchResponseBytes = maxBatchResponseBytes;
    }

    /** This dispatcher's methods and {@code extra} (which win on a name clash), e.g. a connection's own. */
    public JsonRpcDispatcher withMethods(Map<String, RpcMethod> extra) {
        Map<String, RpcMethod> all = new java.util.HashMap<>(methods);
        all.putAll(extra);
        return new JsonRpcDispatcher(mapper, all, maxBatchResponseBytes);
    }

    public java.util.Set<String> methodNames() {
        return methods.keySet();
    }

    /** The response to serialize, or empty when nothing is to be answered (notifications only). */
    public CompletableFuture<Optional<JsonNode>> handle(byte[] body) {
        JsonNode request;
        try {
            request = mapper.readTree(body);
        } catch (IOException e) {
            return done(Optional.of(error(NullNode.instance, RpcException.PARSE_ERROR, "parse error: " + brief(e))));
        }
        if (request == null || request.isMissingNode()) {
            return done(Optional.of(error(NullNode.instance, RpcException.PARSE_ERROR, "parse error: empty body")));
        }
        if (!request.isArray()) {
            return handleOne(request).thenApply(r -> r.map(JsonNode.class::cast));
        }
        if (request.isEmpty() || request.size() > MAX_BATCH) {
            return done(Optional.of(error(NullNode.instance, RpcException.INVALID_REQUEST,
                    "a batch must hold 1.." + MAX_BATCH + " requests")));
        }
        return handleBatch(request);
    }

    /**
     * One request after the other, counting the bytes of the answers: once they reach
     * {@code maxBatchResponseBytes}, the remaining requests are not run and get
     * {@link RpcException#RESPONSE_TOO_LARGE}. Rationale: 100 requests for a 4 MiB block each
     * would otherwise build about a gigabyte before the answer is sent; the answer stays below
     * the budget plus one response.
     */
    private CompletableFuture<Optional<JsonNode>> handleBatch(JsonNode batch) {
        ArrayNode out = JSON.arrayNode();
        long[] bytes = {0}; // touched by one stage at a time, each after the previous one completed
        CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);
        for (JsonNode r : batch) {
            previous = previous.thenCompose(ignored -> {
                if (bytes[0] >= maxBatchResponseBytes) {
                    tooLarge(r).ifPresent(out::add);
                    return CompletableFuture.<Void>completedFuture(null);
                }
                return handleOne(r).thenAccept(reply -> reply.ifPresent(o -> {
                    bytes[0] += sizeOf(o);
                    out.add(o);
                }));
            });
        }
        return previous.thenApply(ignored -> out.isEmpty() ? Optional.empty() : Optional.of(out));
    }

    private Optional<ObjectNode> tooLarge(JsonNode request) {
        if (request.isObject() && !request.has("id")) {
            return Optional.empty(); // a notification: nothing to answer
        }
        JsonNode id = request.isObject() ? request.get("id") : NullNode.instance;
        return Optional.of(error(id, RpcException.RESPONSE_TOO_LARGE,
                "batch response larger than " + maxBatchResponseBytes + " bytes: request not run"));
    }

    private long sizeOf(JsonNode node) {
        ByteCounter counter = new ByteCounter();
        try {
            mapper.writeValue(counter, node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return counter.count;
    }

    /** Counts what is written, keeps nothing. */
    private static final class ByteCounter extends java.io.OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    private CompletableFuture<Optional<ObjectNode>> handleOne(JsonNode request) {
        if (!request.isObject()) {
            return done(Optional.of(error(NullNode.instance, RpcException.INVALID_REQUEST, "request must be an object")));
        }
        JsonNode id = request.get("id");
        boolean notification = id == null;
        JsonNode replyId = notification ? NullNode.instance : id;
        if (!notification && !(id.isNull() || id.isNumber() || id.isTextual())) {
            return done(Optional.of(error(NullNode.instance, RpcException.INVALID_REQUEST, "id must be a string, number or null")));
        }
        JsonNode version = request.get("jsonrpc");
        if (version != null && !"2.0".equals(version.asText())) {
            return done(Optional.of(error(replyId, RpcException.INVALID_REQUEST, "jsonrpc must be \"2.0\"")));
        }
        JsonNode method = request.get("method");
        if (method == null || !method.isTextual()) {
            return done(Optional.of(error(replyId, RpcException.INVALID_REQUEST, "method must be a string")));
        }
        JsonNode params = request.get("params");
        if (params == null || params.isNull()) {
            params = JSON.arrayNode();
        } else if (!params.isArray() && !params.isObject()) {
            return done(Optional.of(error(replyId, RpcException.INVALID_REQUEST, "params must be an array or an object")));
        }
        RpcMethod target = methods.get(method.asText());
        if (target == null) {
            return done(Optional.of(error(replyId, RpcException.METHOD_NOT_FOUND, "method not found: " + brief(method.asText()))));
        }
        CompletableFuture<JsonNode> result;
        try {
            result = target.call(new RpcParams(params));
        } catch (RpcException e) {
            result = CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        String name = method.asText();
        return result.handle((value, failure) -> {
            if (notification) {
                return Optional.empty();
            }
            if (failure == null) {
                ObjectNode ok = envelope(replyId);
                ok.set("result", value == null ? NullNode.instance : value);
                return Optional.of(ok);
            }
            return Optional.of(errorFor(replyId, name, failure));
        });
    }

    private ObjectNode errorFor(JsonNode id, String method, Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RpcException e) {
            ObjectNode error = error(id, e.code(), e.getMessage());
            e.data().ifPresent(d -> ((ObjectNode) error.get("error")).set("data", d));
            return error;
        }
        if (cause instanceof ValidationException e) {
            ObjectNode error = error(id, RpcException.VERIFY_REJECTED, e.getMessage());
            ((ObjectNode) error.get("error")).set("data", JSON.objectNode().put("rule", e.rule().name()));
            return error;
        }
        if (cause instanceof RejectedExecutionException) {
            return error(id, RpcException.MISC_ERROR, "node busy, try again");
        }
        log.warn("RPC method {} failed", method, cause);
        return error(id, RpcException.INTERNAL_ERROR, "internal error: " + cause.getClass().getSimpleName());
    }

    private static ObjectNode envelope(JsonNode id) {
        ObjectNode out = JSON.objectNode();
        out.put("jsonrpc", "2.0");
        out.set("id", id);
        return out;
    }

    public static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode out = envelope(id);
        out.set("error", JSON.objectNode().put("code", code).put("message", message));
        return out;
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    private static String brief(Exception e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return brief(m == null ? e.getClass().getSimpleName() : m);
    }

    private static String brief(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }
}
