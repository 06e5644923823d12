package org.protoblock.node.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -cp <test classpath> org.protoblock.node.Main ...} in a child process, output to
 * files (no pipe to drain), with environment overrides.
 */
public final class ChildProcess implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ChildProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static ChildProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
        return start(List.of(), workDir, env, args);
    }

    /** As {@link #start}, inside network namespace {@code netns} ({@code ip netns exec} execs the JVM: same pid). */
    public static ChildProcess startIn(String netns, Path workDir, Map<String, String> env, String... args) throws IOException {
        return start(List.of("ip", "netns", "exec", netns), workDir, env, args);
    }

    /** Runs to completion (bounded) inside network namespace {@code netns} and returns the exit code. */
    public static Result runIn(String netns, Path workDir, Map<String, String> env, Duration timeout, String... args)
            throws Exception {
        try (ChildProcess p = startIn(netns, workDir, env, args)) {
            return new Result(p.waitFor(timeout), p.stdout(), p.stderr());
        }
    }

    private static ChildProcess start(List<String> prefix, Path workDir, Map<String, String> env, String... args)
            throws IOException {
        Files.createDirectories(workDir);
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "org.protoblock.node.Main"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        // Tests stay off the real network: no LAN multicast beacons unless a test asks for them.
        builder.environment().put("PROTOBLOCK_LAN", "false");
        builder.environment().putAll(env);
        return new ChildProcess(builder.start(), out, err);
    }

    /** Runs to completion (bounded) and returns the exit code. */
    public static Result run(Path workDir, Map<String, String> env, Duration timeout, String... args) throws Exception {
        try (ChildProcess p = start(workDir, env, args)) {
            int code = p.waitFor(timeout);
            return new Result(code, p.stdout(), p.stderr());
        }
    }

    /** Runs every command at once (a JVM start is the slow part) and returns their results in order. */
    public static List<Result> runAll(Path workDir, Map<String, String> env, Duration timeout, List<String[]> commands)
            throws Exception {
        List<ChildProcess> children = new ArrayList<>();
        try {
            for (String[] args : commands) {
                children.add(start(workDir, env, args));
            }
            List<Result> results = new ArrayList<>();
            for (ChildProcess child : children) {
                results.add(new Result(child.waitFor(timeout), child.stdout(), child.stderr()));
            }
            return results;
        } finally {
            children.forEach(ChildProcess::close);
        }
    }

    /** A finished run. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    public Process process() {
        return process;
    }

    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child did not finish within " + timeout + "; stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    /** The first group of {@code regex} in stderr (the log), if it appeared yet. */
    public java.util.Optional<String> findInLog(String regex) {
        Matcher m = Pattern.compile(regex).matcher(stderr());
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
