package org.protoblock.node.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.node.config.DataDirs;
import org.protoblock.node.rpc.RpcClient;
import org.protoblock.node.wallet.NonceSource;
import org.protoblock.node.wallet.TxFactory;
import org.protoblock.node.wallet.Wallet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code protoblock tx name|data|send}: signs on the client side, submits with sendrawtransaction, prints the id. */
@Command(name = "tx", mixinStandardHelpOptions = true, description = "Make, sign and send transactions.",
        subcommands = {TxCommand.Name.class, TxCommand.Data.class, TxCommand.Send.class})
final class TxCommand implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** The wallet option shared by the signing subcommands. */
    static final class WalletOption {
        @Option(names = "--wallet", paramLabel = "DIR", description = "Key directory (default: ~/.protoblock/wallet)")
        Optional<Path> dir;

        Wallet wallet() {
            return new Wallet(dir.orElseGet(() -> DataDirs.defaultWallet(System.getenv())));
        }
    }

    @Command(name = "name", mixinStandardHelpOptions = true,
            description = "Register a fantasy name: its key is created in the wallet (or reused) and signs the NAME transaction. Prints the transaction id.")
    static final class Name extends ClientCommand {
        @Parameters(paramLabel = "NAME", description = "Fantasy name to register")
        String name;

        @picocli.CommandLine.Mixin
        WalletOption wallet;

        @Override
        void run(RpcClient client) throws IOException, RpcClient.RpcCallException, CliException {
            checkName(name);
            KeyPair key = wallet.wallet().keyFor(name);
            sendTransaction(client, new TxFactory(NonceSource.system()).nameRegistration(name, key));
        }
    }

    @Command(name = "data", mixinStandardHelpOptions = true,
            description = "Send a version-4 DATA transaction signed by a registered name's wallet key. Prints the transaction id.")
    static final class Data extends ClientCommand {
        @Parameters(paramLabel = "NAME", description = "Registered fantasy name whose key is in the wallet")
        String name;

        @picocli.CommandLine.Mixin
        WalletOption wallet;

        @Override
        void run(RpcClient client) throws IOException, RpcClient.RpcCallException, CliException {
            checkName(name);
            Wallet w = wallet.wallet();
            KeyPair key = w.find(name).orElseThrow(() -> CliException.failure("no key for " + name + " in " + w.dir()
                    + " (register it with: protoblock tx name " + name + ")"));
            sendTransaction(client, new TxFactory(NonceSource.system()).data(name, key));
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = "Send a serialized SignedTransaction given as hex. Prints the transaction id.")
    static final class Send extends ClientCommand {
        @Parameters(paramLabel = "HEX", description = "Serialized SignedTransaction, hex")
        String hex;

        @Override
        void run(RpcClient client) throws IOException, RpcClient.RpcCallException {
            println(client.call("sendrawtransaction", hex.strip()).asText());
        }
    }

    private static void checkName(String name) throws CliException {
        try {
            Wallet.checkName(name);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }
}
