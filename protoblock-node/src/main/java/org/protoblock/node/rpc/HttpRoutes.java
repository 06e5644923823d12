package org.protoblock.node.rpc;

import java.util.function.Supplier;

/**
 * What the RPC port serves: JSON-RPC on {@code POST /}, Prometheus text on {@code GET /metrics}.
 *
 * @param metrics the scrape body, called on the RPC executor
 */
public record HttpRoutes(JsonRpcDispatcher rpc, Supplier<String> metrics) {
}
