package org.protoblock.node.natlab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One host command (ip, nft, curl, ...) run to completion with a deadline: output and errors to a
 * temporary file (no pipe to drain), killed when it overruns.
 */
final class Command {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private Command() {
    }

    /** A finished command: exit code and its stdout and stderr together. */
    record Result(List<String> argv, int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }

        /** The output, or an error that names the command, its exit code and what it said. */
        String orThrow() {
            if (!ok()) {
                throw new IllegalStateException(String.join(" ", argv) + " exited " + exitCode + ": " + output.strip());
            }
            return output;
        }
    }

    /** Runs {@code argv}; fails when it exits non-zero. */
    static String run(String... argv) {
        return attempt(DEFAULT_TIMEOUT, argv).orThrow();
    }

    /** Runs {@code argv} and returns whatever it did (a timeout is an error). */
    static Result attempt(Duration timeout, String... argv) {
        Path out = null;
        try {
            out = Files.createTempFile("natlab-cmd", ".txt");
            File outFile = out.toFile();
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(outFile)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", argv) + " did not finish within " + timeout);
            }
            return new Result(List.of(argv), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", argv), e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }
}
