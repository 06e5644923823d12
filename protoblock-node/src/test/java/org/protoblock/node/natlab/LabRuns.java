package org.protoblock.node.natlab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Names of lab runs and the clean-up after dead ones. A run's namespaces are named
 * {@code pbl<4 chars>-<role>}; its owner file ({@code /tmp/protoblock-natlab/<run>.owner}) holds the
 * test JVM's pid and start time, and its directory holds configs, logs and node data. A run whose
 * owner is gone (a killed build) left namespaces, processes in them and files: the next run
 * removes them before building its own.
 */
final class LabRuns {
    static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "protoblock-natlab");
    private static final Pattern NAMESPACE = Pattern.compile("^(pbl[a-z0-9]{4})-[a-z0-9]+");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private LabRuns() {
    }

    /** A fresh run id, {@code pbl} and 4 random characters, with its owner file and directory. */
    static String claim() throws IOException {
        Files.createDirectories(ROOT);
        while (true) {
            StringBuilder id = new StringBuilder("pbl");
            for (int i = 0; i < 4; i++) {
                id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            }
            Path owner = ownerFile(id.toString());
            if (!Files.exists(owner) && runNamespaces(id.toString()).isEmpty()) {
                Files.writeString(owner, ownerText(ProcessHandle.current()), StandardCharsets.UTF_8);
                Files.createDirectories(dir(id.toString()));
                return id.toString();
            }
        }
    }

    static Path dir(String run) {
        return ROOT.resolve(run);
    }

    /** Removes the namespaces (and the processes in them) and files of runs whose JVM is gone. */
    static void removeDead() throws IOException {
        Set<String> runs = new TreeSet<>();
        for (String ns : namespaces()) {
            Matcher m = NAMESPACE.matcher(ns);
            if (m.find()) {
                runs.add(m.group(1));
            }
        }
        if (Files.isDirectory(ROOT)) {
            try (Stream<Path> files = Files.list(ROOT)) {
                files.map(p -> p.getFileName().toString().replace(".owner", "")).filter(n -> n.matches("pbl[a-z0-9]{4}"))
                        .forEach(runs::add);
            }
        }
        for (String run : runs) {
            if (!ownerAlive(run)) {
                release(run);
            }
        }
    }

    /** Ends what is left in a run's namespaces, deletes them and the run's files. */
    static void release(String run) throws IOException {
        for (String ns : runNamespaces(run)) {
            killProcessesIn(new Netns(ns));
            Command.attempt(Command.DEFAULT_TIMEOUT, "ip", "netns", "delete", ns);
        }
        deleteTree(dir(run));
        Files.deleteIfExists(ownerFile(run));
    }

    /** Kills, by pid, every process still inside {@code netns} (lab daemons and nodes of this run). */
    static void killProcessesIn(Netns netns) {
        Command.Result pids = Command.attempt(Command.DEFAULT_TIMEOUT, "ip", "netns", "pids", netns.name());
        if (!pids.ok()) {
            return;
        }
        pids.output().lines().map(String::strip).filter(l -> l.matches("\\d+")).map(Long::parseLong)
                .map(ProcessHandle::of).flatMap(Optional::stream).forEach(p -> {
                    p.destroyForcibly();
                    p.onExit().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).exceptionally(t -> p).join();
                });
    }

    static List<String> runNamespaces(String run) {
        return namespaces().stream().filter(ns -> ns.startsWith(run + "-")).toList();
    }

    private static List<String> namespaces() {
        return Command.run("ip", "netns", "list").lines().map(l -> l.split("\\s+")[0]).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean ownerAlive(String run) {
        try {
            String text = Files.readString(ownerFile(run), StandardCharsets.UTF_8).strip();
            String[] parts = text.split(" ", 2);
            return ProcessHandle.of(Long.parseLong(parts[0])).map(LabRuns::ownerText).map(String::strip)
                    .filter(text::equals).isPresent();
        } catch (IOException | RuntimeException e) {
            return false; // no owner file (or a broken one): nobody owns the run any more
        }
    }

    private static String ownerText(ProcessHandle process) {
        return process.pid() + " " + process.info().startInstant().map(Object::toString).orElse("?") + "\n";
    }

    private static Path ownerFile(String run) {
        return ROOT.resolve(run + ".owner");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
