package org.protoblock.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * A request's params, by position (array) or by name (object), with typed getters that answer
 * {@link RpcException#INVALID_PARAMS} on a missing or mistyped value.
 */
public final class RpcParams {
    private final JsonNode params;

    /** @param params an array or an object (the dispatcher checked) */
    public RpcParams(JsonNode params) {
        this.params = params;
    }

    public Optional<JsonNode> get(int index, String name) {
        JsonNode node = params.isArray() ? params.get(index) : params.get(name);
        return Optional.ofNullable(node).filter(n -> !n.isNull());
    }

    public JsonNode required(int index, String name) throws RpcException {
        return get(index, name).orElseThrow(() -> RpcException.invalidParams("missing param " + name));
    }

    public String string(int index, String name) throws RpcException {
        JsonNode node = required(index, name);
        if (!node.isTextual()) {
            throw RpcException.invalidParams(name + " must be a string");
        }
        return node.asText();
    }

    public Optional<Integer> optionalInt(int index, String name) throws RpcException {
        Optional<JsonNode> node = get(index, name);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        if (!node.get().canConvertToInt() || !node.get().isIntegralNumber()) {
            throw RpcException.invalidParams(name + " must be an integer");
        }
        return Optional.of(node.get().asInt());
    }

    /** Booleans, or 0/1 as Bitcoin Core's clients send them. */
    public Optional<Boolean> optionalBoolean(int index, String name) throws RpcException {
        Optional<JsonNode> node = get(index, name);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        JsonNode n = node.get();
        if (n.isBoolean()) {
            return Optional.of(n.asBoolean());
        }
        if (n.isIntegralNumber() && (n.asInt() == 0 || n.asInt() == 1)) {
            return Optional.of(n.asInt() == 1);
        }
        throw RpcException.invalidParams(name + " must be a boolean");
    }

    /** Refuses positional params beyond {@code names} and named params not in it. */
    public RpcParams expect(List<String> names) throws RpcException {
        if (params.isArray() && params.size() > names.size()) {
            throw RpcException.invalidParams("at most " + names.size() + " params: " + names);
        }
        if (params.isObject()) {
            var it = params.fieldNames();
            while (it.hasNext()) {
                String field = it.next();
                if (!names.contains(field)) {
                    throw RpcException.invalidParams("unknown param " + field + " (expected " + names + ")");
                }
            }
        }
        return this;
    }
}
