package org.protoblock.chain.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@link CrashWriter} child JVM and what it has reported on stdout; shared by the crash tests. */
public final class CrashWriterProcess {
    public static final int NOT_YET = Integer.MIN_VALUE;
    private static final Pattern REPORT = Pattern.compile("(opened|committed) (-?\\d+)");

    public final Process process;
    public final AtomicInteger opened = new AtomicInteger(NOT_YET);
    public final AtomicInteger committed = new AtomicInteger(NOT_YET);
    final Path stderrFile;
    /** Anything else the child printed (a JVM warning, or a line cut by the kill). */
    public final List<String> otherOutput = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private CrashWriterProcess(Process process, Path stderrFile) {
        this.process = process;
        this.stderrFile = stderrFile;
        this.reader = new Thread(this::readStdout, "crash-writer-stdout");
        reader.setDaemon(true);
    }

    public static CrashWriterProcess start(Path db, long seed, Path stderrFile, String workloadClass) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-XX:+DisplayVMOutputToStderr",
                "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(),
                db.toString(), Long.toString(seed), workloadClass)
                .redirectError(stderrFile.toFile())
                .start();
        CrashWriterProcess writer = new CrashWriterProcess(process, stderrFile);
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
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("writer exited").isTrue();
        reader.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(reader.isAlive()).as("stdout drained").isFalse();
    }

    public String stderr() {
        try {
            return Files.readString(stderrFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
