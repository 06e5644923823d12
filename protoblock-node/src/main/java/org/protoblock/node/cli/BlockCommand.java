package org.protoblock.node.cli;

import java.io.IOException;
import org.protoblock.node.rpc.RpcClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "block", mixinStandardHelpOptions = true, description = "Show a block by height or id (getblock).")
final class BlockCommand extends ClientCommand {
    @Parameters(paramLabel = "NUM|ID", description = "Block height, or block id (64 hex)")
    String ref;

    @Option(names = "--hex", description = "Print the serialized block as hex")
    boolean hex;

    @Override
    void run(RpcClient client) throws IOException, RpcClient.RpcCallException {
        Object param = ref.matches("[0-9]{1,9}") ? (Object) Integer.parseInt(ref) : ref;
        var result = client.call("getblock", param, hex ? 0 : 1);
        if (hex) {
            println(result.asText());
        } else {
            printJson(result);
        }
    }
}
