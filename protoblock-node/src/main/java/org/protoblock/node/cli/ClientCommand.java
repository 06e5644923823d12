package org.protoblock.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.concurrent.Callable;
import org.protoblock.node.rpc.RpcClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of the commands that talk to a node over RPC: connection errors and RPC errors exit 1. */
abstract class ClientCommand implements Callable<Integer> {
    static final ObjectMapper MAPPER = new ObjectMapper();

    @Mixin
    RpcOptions rpc;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws CliException {
        ProtoblockCommand.quietLogging();
        RpcClient client = rpc.client();
        try {
            run(client);
            return ExitCodes.OK;
        } catch (RpcClient.RpcCallException e) {
            throw CliException.failure("node refused: " + e.getMessage() + " (code " + e.code() + ")");
        } catch (java.net.ConnectException e) {
            throw CliException.failure("cannot reach the node at " + client.uri() + " (is it running? see --rpc)");
        } catch (IOException e) {
            throw CliException.failure("RPC to " + client.uri() + " failed: " + (e.getMessage() == null ? e : e.getMessage()));
        }
    }

    abstract void run(RpcClient client) throws IOException, RpcClient.RpcCallException, CliException;

    void printJson(JsonNode node) throws IOException {
        spec.commandLine().getOut().println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        spec.commandLine().getOut().flush();
    }

    /** Submits a signed transaction and prints the id the node answered with (just the id, for scripts). */
    void sendTransaction(RpcClient client, org.protoblock.chain.types.ChainTransaction tx)
            throws IOException, RpcClient.RpcCallException {
        String hex = java.util.HexFormat.of().formatHex(tx.proto().toByteArray());
        println(client.call("sendrawtransaction", hex).asText());
    }

    void println(String line) {
        spec.commandLine().getOut().println(line);
        spec.commandLine().getOut().flush();
    }
}
