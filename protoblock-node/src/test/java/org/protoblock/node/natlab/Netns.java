package org.protoblock.node.natlab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A network namespace by name, and commands run inside it. */
record Netns(String name) {
    /** Linux's IFNAMSIZ is 16: names of 15 characters at most are safe wherever they appear. */
    static final int MAX_NAME = 15;

    Netns {
        if (name.isEmpty() || name.length() > MAX_NAME || !name.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("bad namespace name: " + name);
        }
    }

    /** {@code ip netns exec NAME argv...} */
    String[] command(String... argv) {
        List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", name));
        out.addAll(List.of(argv));
        return out.toArray(String[]::new);
    }

    /** Runs {@code argv} inside; fails when it exits non-zero. */
    String run(String... argv) {
        return Command.run(command(argv));
    }

    /** Runs {@code argv} inside and returns whatever it did. */
    Command.Result attempt(Duration timeout, String... argv) {
        return Command.attempt(timeout, command(argv));
    }

    /** {@code ip -n NAME args...}: configures this namespace's links, addresses and routes. */
    void ip(String... args) {
        List<String> out = new ArrayList<>(List.of("ip", "-n", name));
        out.addAll(List.of(args));
        Command.run(out.toArray(String[]::new));
    }

    /** Sets a sysctl of this namespace ({@code net.*} are per namespace) without needing procps. */
    void sysctl(String key, String value) {
        run("sh", "-c", "echo " + value + " > /proc/sys/" + key.replace('.', '/'));
    }

    @Override
    public String toString() {
        return name;
    }
}
