package org.protoblock.node.dashboard;

import org.protoblock.node.rpc.HttpPage;

/**
 * The live dashboard at {@code /} of the RPC port: one self-contained HTML page (no external
 * assets) that opens the JSON-RPC WebSocket ({@code /ws}), subscribes to new heads, new
 * transactions and peer events, and polls peers, mempool, sync and gossip figures over the same
 * socket every two seconds. When the node requires the RPC token, open it as
 * {@code http://HOST:PORT/#token=TOKEN}.
 */
public final class Dashboard {
    public static final String PATH = "/";

    private Dashboard() {
    }

    public static HttpPage page() {
        return HttpPage.resource(Dashboard.class, "index.html", "text/html; charset=utf-8");
    }
}
