package org.protoblock.node.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.protoblock.node.app.LogSetup;
import org.protoblock.node.devnet.DevnetRunner;
import org.protoblock.node.devnet.DevnetSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code protoblock devnet}: the local demo network; exit 0 only if it converged with every accepted tx included. */
@Command(name = "devnet", mixinStandardHelpOptions = true,
        description = "Run a private network of N nodes in this process under transaction load, then check it converged.")
final class DevnetCommand implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "4", description = "Nodes (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "60", description = "Load phase length (default: ${DEFAULT-VALUE})")
    long duration;

    @Option(names = "--tx-rate", paramLabel = "R", defaultValue = "20", description = "Transactions per second (default: ${DEFAULT-VALUE})")
    double txRate;

    @Option(names = "--dir", paramLabel = "DIR", description = "Network directory (default: a fresh temporary one); an existing devnet there is reused")
    Optional<Path> dir;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "Also write the summary as JSON")
    Optional<Path> summaryJson;

    @Option(names = "--settle-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait at the end for the nodes to agree (default: ${DEFAULT-VALUE})")
    long settleTimeout;

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || nodes > DevnetRunner.MAX_NODES || duration < 0 || txRate < 0 || txRate > 10_000 || settleTimeout < 1) {
            throw CliException.usage("need --nodes 1.." + DevnetRunner.MAX_NODES + ", --duration >= 0, --tx-rate 0..10000, --settle-timeout >= 1");
        }
        Path root = dir.isPresent() ? dir.get() : Files.createTempDirectory("protoblock-devnet-");
        Files.createDirectories(root);
        // The console belongs to the live view: the log goes to a file, only warnings to the console.
        LogSetup.addFile(root.resolve("devnet.log"));
        LogSetup.consoleThreshold("WARN");
        PrintStream out = System.out;
        DevnetRunner runner = new DevnetRunner(new DevnetRunner.Options(nodes, Duration.ofSeconds(duration), txRate, root,
                Duration.ofSeconds(settleTimeout), System.console() != null), out);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            runner.requestStop();
            try {
                finished.await(settleTimeout + 20, TimeUnit.SECONDS); // let it settle, print and close the stores
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "devnet-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            DevnetSummary summary = runner.run();
            out.print(summary.render());
            if (summaryJson.isPresent()) {
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(summaryJson.get().toFile(), summary);
                out.println("Summary written to " + summaryJson.get());
            }
            out.flush();
            return summary.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it is waiting for us
            }
        }
    }
}
