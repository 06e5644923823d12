package org.protoblock.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.protoblock.node.rpc.RpcClient;
import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Show a node's network, head, peers, mempool and sync state (JSON).")
final class StatusCommand extends ClientCommand {
    @Override
    void run(RpcClient client) throws IOException, RpcClient.RpcCallException {
        JsonNode net = client.call("getnetworkinfo");
        JsonNode mempool = client.call("getmempoolinfo");
        JsonNode sync = client.call("getsyncstatus");
        ObjectNode out = MAPPER.createObjectNode();
        out.set("network", net.get("network"));
        out.set("networkid", net.get("networkid"));
        out.set("nodeid", net.get("nodeid"));
        out.set("producer", net.get("producer"));
        out.set("height", client.call("getblockcount"));
        out.set("head", client.call("getbestblockhash"));
        out.set("peers", net.get("connections"));
        out.set("mempool", mempool.get("size"));
        out.set("syncing", sync.get("syncing"));
        out.set("progress", sync.get("progress"));
        out.set("localaddresses", net.get("localaddresses"));
        printJson(out);
    }
}
