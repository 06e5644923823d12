package org.protoblock.node.sp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code nngcat} (package nng-utils), the reference client of the interop tests.
 * Every run is bounded: nngcat's own receive timeout, and a kill after {@value #KILL_SECONDS} s.
 */
final class Nngcat implements AutoCloseable {
    static final String BINARY = "/usr/bin/nngcat";
    static final int KILL_SECONDS = 30;

    private final Process process;
    private final CompletableFuture<byte[]> stdout;
    private final CompletableFuture<byte[]> stderr;

    private Nngcat(Process process) {
        this.process = process;
        this.stdout = read(process.getInputStream());
        this.stderr = read(process.getErrorStream());
    }

    static boolean available() {
        return Files.isExecutable(Path.of(BINARY));
    }

    /** Starts {@code nngcat args...} with raw output. */
    static Nngcat start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(BINARY, "--format=raw", "--recv-maxsz=4194304"));
        command.addAll(List.of(args));
        return new Nngcat(new ProcessBuilder(command).start());
    }

    /**
     * One request, its reply (nngcat --req sends the request file once and prints the reply).
     * Without --count: nngcat 1.5 computes a negative receive timeout from --count without
     * --interval and fails with "Cannot set recv timeout" when the reply takes a millisecond.
     */
    static byte[] request(String url, byte[] request, Path scratch) throws Exception {
        Path file = Files.createTempFile(scratch, "req", ".bin");
        Files.write(file, request);
        try (Nngcat cat = start("--req", "--dial=" + url, "--file=" + file, "--recv-timeout=10")) {
            return cat.output();
        }
    }

    /** Waits for the process to end and returns what it printed; fails when it fails. */
    byte[] output() throws Exception {
        if (!process.waitFor(KILL_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("nngcat did not finish in " + KILL_SECONDS + " s");
        }
        byte[] out = stdout.get(5, TimeUnit.SECONDS);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("nngcat exited " + process.exitValue() + ": "
                    + new String(stderr.get(5, TimeUnit.SECONDS)));
        }
        return out;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private static CompletableFuture<byte[]> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
