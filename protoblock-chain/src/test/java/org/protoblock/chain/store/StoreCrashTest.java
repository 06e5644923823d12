package org.protoblock.chain.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.types.ChainHead;

/**
 * Kills a {@link CrashWriter} child JVM with SIGKILL at random points while it applies blocks, then
 * checks in this JVM that the store holds whole blocks only ({@link StoreConsistency}), that every
 * height the writer reported as committed survived, and that the writer resumes from there.
 */
class StoreCrashTest {
    private static final long SEED = 20240611L;
    private static final int ITERATIONS = 20;
    private static final int NOT_YET = Integer.MIN_VALUE;
    private static final Pattern REPORT = Pattern.compile("(opened|committed) (-?\\d+)");

    @TempDir
    Path dir;

    @Test
    void sigkillDuringBlockApplicationLeavesWholeBlocksOnly() throws Exception {
        Random random = new Random(SEED);
        Path db = dir.resolve("db");
        int head = -1;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            int target = head + 1 + random.nextInt(25);
            Writer writer = Writer.start(db, SEED, dir.resolve("writer-" + iteration + ".err"));
            try {
                await("writer " + iteration + " reaching " + target)
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(2))
                        .until(() -> writer.committed.get() >= target || !writer.process.isAlive());
                assertThat(writer.process.isAlive()).as("writer alive; stderr: %s", writer.stderr()).isTrue();
                assertThat(writer.opened.get()).as("writer resumed from the head").isEqualTo(head);
            } finally {
                writer.kill();
            }
            int lastReported = writer.committed.get();
            try (ChainStore store = RocksDbChainStore.open(db)) {
                ChainHead stored = store.head().orElseThrow();
                // Every reported height is durable; at most one more write returned unreported.
                assertThat(stored.num()).as("iteration %d, other output %s", iteration, writer.otherOutput)
                        .isBetween(lastReported, lastReported + 1);
                List<String> violations = StoreConsistency.check(store);
                assertThat(violations).as("iteration %d at %s", iteration, stored).isEmpty();
                head = stored.num();
            }
        }
        assertThat(head).isGreaterThanOrEqualTo(ITERATIONS);
    }

    /** A running CrashWriter and what it has reported on stdout. */
    private static final class Writer {
        final Process process;
        final AtomicInteger opened = new AtomicInteger(NOT_YET);
        final AtomicInteger committed = new AtomicInteger(NOT_YET);
        final Path stderrFile;
        /** Anything else the child printed (a JVM warning, or a line cut by the kill). */
        final List<String> otherOutput = new CopyOnWriteArrayList<>();
        private final Thread reader;

        private Writer(Process process, Path stderrFile) {
            this.process = process;
            this.stderrFile = stderrFile;
            this.reader = new Thread(this::readStdout, "crash-writer-stdout");
            reader.setDaemon(true);
        }

        static Writer start(Path db, long seed, Path stderrFile) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-XX:+DisplayVMOutputToStderr",
                    "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(),
                    db.toString(), Long.toString(seed))
                    .redirectError(stderrFile.toFile())
                    .start();
            Writer writer = new Writer(process, stderrFile);
            writer.reader.start();
            return writer;
        }

        private void readStdout() {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    Matcher report = REPORT.matcher(line);
                    if (report.matches()) {
                        (report.group(1).equals("opened") ? opened : committed).set(Integer.parseInt(report.group(2)));
                    } else {
                        otherOutput.add(line);
                    }
                }
            } catch (IOException e) {
                // The pipe breaks when the writer is killed; what was read is all that counts.
            }
        }

        /**
         * SIGKILL on Linux: no shutdown hooks, no RocksDB close. Through the ProcessHandle, because
         * Process.destroyForcibly() also closes our end of stdout and would drop the last reports
         * still in the pipe; those are read here, to the end.
         */
        void kill() throws InterruptedException {
            process.toHandle().destroyForcibly();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("writer exited").isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(reader.isAlive()).as("stdout drained").isFalse();
        }

        String stderr() {
            try {
                return Files.readString(stderrFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
