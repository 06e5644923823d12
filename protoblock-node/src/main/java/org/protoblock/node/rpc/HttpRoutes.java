package org.protoblock.node.rpc;

import java.util.Map;
import java.util.function.Supplier;

/**
 * What the RPC port serves: JSON-RPC on {@code POST /}, Prometheus text on {@code GET /metrics},
 * and WebSocket endpoints by path.
 *
 * @param metrics    the scrape body, called on the RPC executor
 * @param webSockets WebSocket endpoints by path (e.g. {@code /sp/rep})
 */
public record HttpRoutes(JsonRpcDispatcher rpc, Supplier<String> metrics, Map<String, WebSocketRoute> webSockets) {
    public HttpRoutes {
        webSockets = Map.copyOf(webSockets);
    }

    /** Without WebSocket endpoints. */
    public HttpRoutes(JsonRpcDispatcher rpc, Supplier<String> metrics) {
        this(rpc, metrics, Map.of());
    }
}
