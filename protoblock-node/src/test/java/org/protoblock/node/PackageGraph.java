package org.protoblock.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which packages of one source tree use which others, and the cycles among them.
 *
 * <p>A package uses another when one of its files names a class of it: by import (plain, static or
 * wildcard) or by a fully qualified name in code. Comments and string literals are ignored, and so
 * are packages outside the tree (another module's, a library's): they cannot close a cycle here.
 *
 * <p>Cycles: every strongly connected component of more than one package holds at least one; for
 * each package in such a component the shortest cycle through it is reported, so every package that
 * takes part appears in some reported cycle.
 *
 * <p>Threads: immutable once built.
 *
 * @param edges package, to each package it uses, to one class of the first that names the second
 *              (the "witness" a report shows)
 */
record PackageGraph(Map<String, Map<String, String>> edges) {
    private static final String PREFIX = "org.protoblock.";
    /** Text blocks, strings, chars and comments, in one left-to-right pass so that none hides in another. */
    private static final Pattern NOT_CODE = Pattern.compile(
            "\"\"\"(?s:.*?)\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])*'|/\\*(?s:.*?)\\*/|//[^\\n]*");
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    /** A project package followed by a class name or a wildcard. */
    private static final Pattern REFERENCE = Pattern.compile("(?<![\\w.])(org\\.protoblock(?:\\.[a-z_][a-z0-9_]*)+)\\.(?:[A-Z]|\\*)");

    PackageGraph {
        Map<String, Map<String, String>> copy = new TreeMap<>();
        edges.forEach((from, to) -> copy.put(from, Collections.unmodifiableMap(new TreeMap<>(to))));
        edges = Collections.unmodifiableMap(copy);
    }

    /** Reads every {@code .java} file under {@code sourceRoot}. */
    static PackageGraph scan(Path sourceRoot) {
        Map<String, Map<String, String>> uses = new HashMap<>();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String code = NOT_CODE.matcher(Files.readString(file)).replaceAll(" ");
                Matcher pkg = PACKAGE.matcher(code);
                if (!pkg.find()) {
                    continue;
                }
                Map<String, String> targets = uses.computeIfAbsent(pkg.group(1), p -> new HashMap<>());
                String witness = file.getFileName().toString().replaceFirst("\\.java$", "");
                Matcher ref = REFERENCE.matcher(code);
                while (ref.find()) {
                    targets.putIfAbsent(ref.group(1), witness);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Only edges between packages of this tree, and no package to itself.
        uses.forEach((from, targets) -> targets.keySet().removeIf(to -> to.equals(from) || !uses.containsKey(to)));
        return new PackageGraph(uses);
    }

    /** A graph without witnesses, for tests: package to the packages it uses. */
    static PackageGraph of(Map<String, Set<String>> uses) {
        Map<String, Map<String, String>> edges = new HashMap<>();
        uses.forEach((from, targets) -> {
            Map<String, String> to = new HashMap<>();
            targets.forEach(t -> to.put(t, "?"));
            edges.put(from, to);
            targets.forEach(t -> edges.putIfAbsent(t, new HashMap<>()));
        });
        return new PackageGraph(edges);
    }

    Set<String> packages() {
        return edges.keySet();
    }

    /** Each cycle as its packages in order, starting at the least; the last uses the first. */
    List<List<String>> cycles() {
        Set<List<String>> cycles = new LinkedHashSet<>();
        for (Set<String> component : new Components().find()) {
            if (component.size() > 1) {
                component.stream().sorted().forEach(p -> shortestCycle(p, component).ifPresent(cycles::add));
            }
        }
        return List.copyOf(cycles);
    }

    /** "a -> b -> a", each step with the class that makes it: "(a.X uses b)". */
    String describe(List<String> cycle) {
        StringBuilder path = new StringBuilder();
        List<String> steps = new ArrayList<>();
        for (int i = 0; i < cycle.size(); i++) {
            String from = cycle.get(i);
            String to = cycle.get((i + 1) % cycle.size());
            path.append(shortName(from)).append(" -> ");
            steps.add(shortName(from) + "." + edges.get(from).get(to) + " uses " + shortName(to));
        }
        return path.append(shortName(cycle.get(0))).append("  (").append(String.join("; ", steps)).append(')').toString();
    }

    private static String shortName(String pkg) {
        return pkg.startsWith(PREFIX) ? pkg.substring(PREFIX.length()) : pkg;
    }

    /** Breadth-first from {@code start} back to it, inside {@code component}; rotated to start at its least package. */
    private Optional<List<String>> shortestCycle(String start, Set<String> component) {
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String at = queue.poll();
            for (String next : edges.get(at).keySet()) {
                if (next.equals(start)) {
                    List<String> cycle = new ArrayList<>();
                    for (String p = at; p != null; p = cameFrom.get(p)) {
                        cycle.add(0, p);
                    }
                    Collections.rotate(cycle, -cycle.indexOf(Collections.min(cycle)));
                    return Optional.of(List.copyOf(cycle));
                }
                if (component.contains(next) && !next.equals(start) && !cameFrom.containsKey(next)) {
                    cameFrom.put(next, at);
                    queue.add(next);
                }
            }
        }
        return Optional.empty();
    }

    /** Tarjan's strongly connected components; the graphs are a few dozen packages, so recursion is fine. */
    private final class Components {
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> lowLink = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new LinkedHashSet<>();
        private final List<Set<String>> found = new ArrayList<>();

        List<Set<String>> find() {
            edges.keySet().forEach(p -> {
                if (!index.containsKey(p)) {
                    visit(p);
                }
            });
            return found;
        }

        private void visit(String p) {
            index.put(p, index.size());
            lowLink.put(p, index.get(p));
            stack.push(p);
            onStack.add(p);
            for (String next : edges.get(p).keySet()) {
                if (!index.containsKey(next)) {
                    visit(next);
                    lowLink.put(p, Math.min(lowLink.get(p), lowLink.get(next)));
                } else if (onStack.contains(next)) {
                    lowLink.put(p, Math.min(lowLink.get(p), index.get(next)));
                }
            }
            if (lowLink.get(p).equals(index.get(p))) {
                Set<String> component = new LinkedHashSet<>();
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    component.add(member);
                } while (!member.equals(p));
                found.add(component);
            }
        }
    }
}
