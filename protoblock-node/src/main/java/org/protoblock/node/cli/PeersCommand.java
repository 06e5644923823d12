package org.protoblock.node.cli;

import java.io.IOException;
import org.protoblock.node.rpc.RpcClient;
import picocli.CommandLine.Command;

@Command(name = "peers", mixinStandardHelpOptions = true, description = "List a node's peers (getpeerinfo, JSON).")
final class PeersCommand extends ClientCommand {
    @Override
    void run(RpcClient client) throws IOException, RpcClient.RpcCallException {
        printJson(client.call("getpeerinfo"));
    }
}
