package org.protoblock.node.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.protoblock.node.devnet.DevnetFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "genesis", mixinStandardHelpOptions = true, description = "Private networks: make a genesis and producer keys.",
        subcommands = GenesisCommand.New.class)
final class GenesisCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    @Command(name = "new", mixinStandardHelpOptions = true,
            description = "Write DIR/genesis.block and DIR/producer-1.key … producer-N.key for a new private network.")
    static final class New implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write into")
        Path out;

        @Option(names = "--producers", paramLabel = "N", defaultValue = "1", description = "Producer keys (default: ${DEFAULT-VALUE})")
        int producers;

        @Option(names = "--name", paramLabel = "NAME", defaultValue = "devnet", description = "Network name (default: ${DEFAULT-VALUE})")
        String name;

        @Override
        public Integer call() throws CliException, IOException {
            ProtoblockCommand.quietLogging();
            if (producers < 1 || producers > DevnetFiles.MAX_PRODUCERS) {
                throw CliException.usage("--producers must be 1.." + DevnetFiles.MAX_PRODUCERS);
            }
            if (name.isBlank() || name.length() > 64) {
                throw CliException.usage("--name must be 1..64 characters");
            }
            DevnetFiles.Devnet devnet;
            try {
                devnet = DevnetFiles.create(out, name, producers, Clock.systemUTC());
            } catch (FileAlreadyExistsException e) {
                throw CliException.failure("refusing to overwrite " + e.getFile());
            }
            var w = spec.commandLine().getOut();
            w.println("network " + devnet.network().networkId() + " genesis " + devnet.network().genesisId());
            w.println(DevnetFiles.genesisFile(out));
            for (int i = 1; i <= producers; i++) {
                w.println(DevnetFiles.producerKeyFile(out, i));
            }
            w.flush();
            return ExitCodes.OK;
        }
    }
}
