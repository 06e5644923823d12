package org.protoblock.node.rpc;

import java.util.Map;
import java.util.function.Supplier;

/**
 * What the RPC port serves: JSON-RPC on {@code POST /}, Prometheus text on {@code GET /metrics},
 * static pages on GET by path (the dashboard at {@code /}), and WebSocket endpoints by path.
 *
 * @param metrics    the scrape body, called on the RPC executor
 * @param webSockets WebSocket endpoints by path (e.g. {@code /sp/rep})
 * @param pages      static pages by path
 */
public record HttpRoutes(JsonRpcDispatcher rpc, Supplier<String> metrics, Map<String, WebSocketRoute> webSockets,
                         Map<String, HttpPage> pages) {
    public HttpRoutes {
        webSockets = Map.copyOf(webSockets);
        pages = Map.copyOf(pages);
    }

    /** Without WebSocket endpoints or pages. */
    public HttpRoutes(JsonRpcDispatcher rpc, Supplier<String> metrics) {
        this(rpc, metrics, Map.of(), Map.of());
    }
}
