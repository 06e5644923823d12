package org.protoblock.node.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.protoblock.node.app.LogSetup;
import org.protoblock.node.config.ConfigException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code protoblock} command and its subcommands. */
@Command(name = "protoblock", mixinStandardHelpOptions = true, version = "protoblock 0.1.0",
        description = "Protoblock full node, devnet demo and RPC client.",
        subcommands = {NodeCommand.class, DevnetCommand.class, GenesisCommand.class, StatusCommand.class,
                PeersCommand.class, BlockCommand.class, MempoolCommand.class, TxCommand.class,
                CommandLine.HelpCommand.class})
public final class ProtoblockCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** The command line with this program's exit-code mapping: expected failures print one line. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ProtoblockCommand());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            if (cause instanceof CliException c) {
                commandLine.getErr().println("error: " + c.getMessage());
                return c.exitCode();
            }
            if (cause instanceof ConfigException) {
                commandLine.getErr().println("error: " + cause.getMessage());
                return ExitCodes.USAGE;
            }
            if (cause instanceof IOException) {
                commandLine.getErr().println("error: " + cause.getMessage());
                return ExitCodes.FAILURE;
            }
            LoggerFactory.getLogger(ProtoblockCommand.class).error("{} failed", commandLine.getCommandName(), cause);
            commandLine.getErr().println("error: " + cause);
            return ExitCodes.FAILURE;
        });
        return cl;
    }

    /** Client commands log only warnings, so that stdout carries just their answer. */
    static void quietLogging() {
        LogSetup.rootLevel("WARN");
    }
}
