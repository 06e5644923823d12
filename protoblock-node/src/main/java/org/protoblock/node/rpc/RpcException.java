package org.protoblock.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A JSON-RPC error object to answer with: expected (bad input, a rejected transaction), so it has
 * no stack trace. Codes: the JSON-RPC 2.0 ones, plus Bitcoin Core's where one fits.
 */
public final class RpcException extends Exception {
    private static final long serialVersionUID = 1L;

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    /** A batch's answers reached {@link JsonRpcDispatcher#MAX_BATCH_RESPONSE_BYTES} (geth's code for it). */
    public static final int RESPONSE_TOO_LARGE = -32003;
    /** Bitcoin Core's RPC_MISC_ERROR: the node could not do it right now (busy, peer unreachable). */
    public static final int MISC_ERROR = -1;
    /** Bitcoin Core's RPC_INVALID_ADDRESS_OR_KEY: no such block. */
    public static final int NOT_FOUND = -5;
    /** Bitcoin Core's RPC_VERIFY_REJECTED: the transaction broke a chain rule (named in message and data). */
    public static final int VERIFY_REJECTED = -26;
    /** Bitcoin Core's RPC_CLIENT_NODE_NOT_ADDED. */
    public static final int NODE_NOT_ADDED = -24;
    /** Bitcoin Core's RPC_CLIENT_NODE_NOT_CONNECTED. */
    public static final int NODE_NOT_CONNECTED = -29;

    private final int code;
    private final transient Optional<JsonNode> data;

    public RpcException(int code, String message) {
        this(code, message, Optional.empty());
    }

    public RpcException(int code, String message, Optional<JsonNode> data) {
        super(message, null, false, false);
        this.code = code;
        this.data = data;
    }

    public static RpcException invalidParams(String message) {
        return new RpcException(INVALID_PARAMS, message);
    }

    public int code() {
        return code;
    }

    public Optional<JsonNode> data() {
        return data;
    }
}
