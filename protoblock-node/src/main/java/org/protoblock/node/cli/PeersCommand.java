package org.protoblock.node.cli;

import java.io.IOException;
import org.protoblock.node.rpc.RpcClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "peers", mixinStandardHelpOptions = true, description = "List a node's peers (getpeerinfo, JSON).",
        subcommands = {PeersCommand.Add.class, PeersCommand.Remove.class, PeersCommand.Added.class})
final class PeersCommand extends ClientCommand {
    @Override
    void run(RpcClient client) throws IOException, RpcClient.RpcCallException {
        printJson(client.call("getpeerinfo"));
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Connect to a peer now (addnode onetry): by HOST:PORT, or by its 64-hex node id, dialed at the "
                    + "addresses of its signed peer record (found by the node or asked of its peers). With --keep, the node "
                    + "keeps a link to it until `peers remove` (addnode add).")
    static final class Add extends ClientCommand {
        @Parameters(paramLabel = "NODE", description = "HOST:PORT, tcp://HOST:PORT or a node id (64 hex)")
        String node;

        @Option(names = "--keep", description = "Keep linked: reconnect with backoff, never evicted (addnode add)")
        boolean keep;

        @Override
        void run(RpcClient client) throws IOException, RpcClient.RpcCallException {
            printJson(client.call("addnode", node, keep ? "add" : "onetry"));
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Stop keeping a peer added with --keep (addnode remove); an open link stays.")
    static final class Remove extends ClientCommand {
        @Parameters(paramLabel = "NODE", description = "as given to `peers add --keep`")
        String node;

        @Override
        void run(RpcClient client) throws IOException, RpcClient.RpcCallException {
            printJson(client.call("addnode", node, "remove"));
        }
    }

    @Command(name = "added", mixinStandardHelpOptions = true,
            description = "The peers added with --keep and whether each is linked now (getaddednodeinfo).")
    static final class Added extends ClientCommand {
        @Override
        void run(RpcClient client) throws IOException, RpcClient.RpcCallException {
            printJson(client.call("getaddednodeinfo"));
        }
    }
}
