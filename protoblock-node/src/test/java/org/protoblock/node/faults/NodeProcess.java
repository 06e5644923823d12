package org.protoblock.node.faults;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.protoblock.node.rpc.RpcClient;

/**
 * One node of a test network as an operator runs it: the node program in a process of its own,
 * always on the same data dir, P2P and RPC ports, started again after each kill. Each start logs
 * (stdout and stderr) to a file of its own in {@code logDir}.
 *
 * <p>Threads: the harness thread that starts, kills and stops it; the RPC helpers may be called
 * from any thread (they read a volatile process and URI).
 */
public final class NodeProcess {
    private static final Pattern UP = Pattern.compile("up: P2P (\\S+), RPC (http://[0-9.]+:[0-9]+/)");
    private static final Duration RPC_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final NodeLauncher launcher;
    private final List<String> args;
    private final Path logDir;
    private volatile Process process;
    private volatile URI rpc;
    private volatile RpcClient client;
    private Path log;
    private int starts;

    public NodeProcess(String name, NodeLauncher launcher, List<String> args, Path logDir) {
        this.name = name;
        this.launcher = launcher;
        this.args = List.copyOf(args);
        this.logDir = logDir;
    }

    /**
     * The {@code node} command for a loopback node of a private network: LAN beacons, port mapping
     * and the nanomsg ports off (they would reach other programs on this shared host).
     */
    public static List<String> nodeArgs(Path dataDir, Path genesis, int p2pPort, int rpcPort, List<Integer> seedPorts,
                                        Optional<Path> producerKey) {
        List<String> args = new ArrayList<>(List.of("node", "--data-dir", dataDir.toString(), "--genesis", genesis.toString(),
                "--listen", "127.0.0.1:" + p2pPort, "--rpc", "127.0.0.1:" + rpcPort,
                "--lan", "false", "--nat", "off", "--sp", "false"));
        seedPorts.forEach(port -> args.addAll(List.of("--seed", "127.0.0.1:" + port)));
        producerKey.ifPresent(key -> args.addAll(List.of("--producer-key", key.toString())));
        return args;
    }

    public String name() {
        return name;
    }

    /** Starts the program (the previous process must be gone) and waits until it serves RPC. */
    public void start(Duration timeout) throws IOException, InterruptedException {
        if (alive()) {
            throw new IllegalStateException(name + " is running");
        }
        Files.createDirectories(logDir);
        log = logDir.resolve(String.format("%s-%03d.log", name, ++starts));
        ProcessBuilder builder = new ProcessBuilder(launcher.command(args)).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(NodeLauncher.ENVIRONMENT);
        builder.environment().put("PROTOBLOCK_LAN", "false");
        rpc = null;
        client = null;
        process = builder.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher up = UP.matcher(readLog());
            if (up.find()) {
                rpc = URI.create(up.group(2));
                client = new RpcClient(rpc, Optional.empty(), RPC_TIMEOUT);
                return;
            }
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + " at start; log " + log + ":\n" + tail(30));
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IOException(name + " did not come up within " + timeout + "; log " + log + ":\n" + tail(30));
    }

    /** SIGKILL (Process.destroyForcibly on Linux), then waits for the process to be gone. */
    public void kill() throws InterruptedException {
        Process p = process;
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived SIGKILL for 30 s");
        }
    }

    /** SIGTERM, the operator's Ctrl-C: the node closes its store cleanly. */
    public void stop(Duration timeout) throws InterruptedException {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            throw new IllegalStateException(name + " did not stop within " + timeout + " of SIGTERM; log " + log);
        }
    }

    public boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public Optional<URI> rpcUri() {
        return Optional.ofNullable(rpc);
    }

    /** The RPC answer, or empty while the node is down or does not answer. */
    public Optional<JsonNode> ask(String method, Object... params) {
        RpcClient c = client;
        if (c == null || !alive()) {
            return Optional.empty();
        }
        try {
            return Optional.of(c.call(method, params));
        } catch (IOException | RpcClient.RpcCallException e) {
            return Optional.empty();
        }
    }

    /** The client of the running process (throws while it is down). */
    public RpcClient client() {
        RpcClient c = client;
        if (c == null) {
            throw new IllegalStateException(name + " is down");
        }
        return c;
    }

    public Optional<Integer> height() {
        return ask("getblockcount").map(JsonNode::asInt);
    }

    public Optional<String> bestHash() {
        return ask("getbestblockhash").map(JsonNode::asText);
    }

    public Optional<Integer> mempoolSize() {
        return ask("getmempoolinfo").map(j -> j.path("size").asInt());
    }

    /** The resident set size of the running process, from /proc (Linux). */
    public Optional<Long> rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    public String tail(int lines) {
        List<String> all = readLog().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private String readLog() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
