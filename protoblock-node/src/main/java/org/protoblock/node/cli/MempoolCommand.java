package org.protoblock.node.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.protoblock.node.rpc.RpcClient;
import picocli.CommandLine.Command;

@Command(name = "mempool", mixinStandardHelpOptions = true, description = "Show a node's mempool: size, bytes and transaction ids (JSON).")
final class MempoolCommand extends ClientCommand {
    @Override
    void run(RpcClient client) throws IOException, RpcClient.RpcCallException {
        ObjectNode out = ((ObjectNode) client.call("getmempoolinfo")).deepCopy();
        out.set("txids", client.call("getrawmempool"));
        printJson(out);
    }
}
