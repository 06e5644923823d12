package org.protoblock.node.natlab;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A lab daemon (stund, miniupnpd) in the foreground inside a namespace, its output in a file.
 * {@code ip netns exec} execs the program, so the process we hold is the daemon itself and
 * closing it ends exactly that process.
 */
final class Daemon implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final Process process;
    private final Path log;

    private Daemon(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static Daemon start(String name, Netns netns, Path log, String... argv) {
        try {
            Process p = new ProcessBuilder(netns.command(argv)).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            return new Daemon(name, p, log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the log contains {@code text}; fails early when the daemon exits. */
    Daemon awaitLog(String text, Duration timeout) {
        await(name + " logs \"" + text + "\"").atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> log().contains(text) || !process.isAlive());
        if (!log().contains(text)) {
            throw new IllegalStateException(name + " exited " + process.exitValue() + ":\n" + log());
        }
        return this;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGTERM, then SIGKILL if it lingers. */
    @Override
    public void close() {
        try {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
