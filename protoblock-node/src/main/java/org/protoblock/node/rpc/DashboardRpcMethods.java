package org.protoblock.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.protoblock.p2p.P2pNode;
import org.protoblock.p2p.metrics.P2pMetrics;

/**
 * Figures the live dashboard shows besides the Bitcoin-style methods: {@code getgossipinfo}
 * (running totals of gossip; the page turns them into rates). Read-only, cheap (atomic reads),
 * answered on the caller's thread.
 */
public final class DashboardRpcMethods {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final P2pNode p2p;

    public DashboardRpcMethods(P2pNode p2p) {
        this.p2p = p2p;
    }

    public Map<String, RpcMethod> methods() {
        return Map.of("getgossipinfo", this::getGossipInfo);
    }

    private CompletableFuture<JsonNode> getGossipInfo(RpcParams p) throws RpcException {
        p.expect(List.of());
        P2pMetrics m = p2p.metrics();
        ObjectNode out = JSON.objectNode()
                .put("txbodiesreceived", m.txBodiesReceived.sum())
                .put("txbodiesduplicate", m.txBodiesDuplicate.sum())
                .put("blocksreceived", m.blocksReceived.sum())
                .put("blocksduplicate", m.blocksDuplicate.sum())
                .put("announcementsreceived", m.announcementsReceived.sum())
                .put("announcementssent", m.announcementsSent.sum())
                .put("gossipbytesreceived", m.gossipBytesReceived.sum())
                .put("blockssynced", m.blocksSynced.sum());
        return CompletableFuture.completedFuture(out);
    }
}
