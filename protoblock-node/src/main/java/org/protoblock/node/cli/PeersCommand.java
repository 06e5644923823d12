package org.protoblock.node.cli;

import java.io.IOException;
import org.protoblock.node.rpc.RpcClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "peers", mixinStandardHelpOptions = true, description = "List a node's peers (getpeerinfo, JSON).",
        subcommands = PeersCommand.Add.class)
final class PeersCommand extends ClientCommand {
    @Override
    void run(RpcClient client) throws IOException, RpcClient.RpcCallException {
        printJson(client.call("getpeerinfo"));
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Connect to a peer now (addnode onetry): by HOST:PORT, or by its 64-hex node id, dialed at the "
                    + "addresses of its signed peer record (found by the node or asked of its peers).")
    static final class Add extends ClientCommand {
        @Parameters(paramLabel = "NODE", description = "HOST:PORT, tcp://HOST:PORT or a node id (64 hex)")
        String node;

        @Override
        void run(RpcClient client) throws IOException, RpcClient.RpcCallException {
            printJson(client.call("addnode", node, "onetry"));
        }
    }
}
