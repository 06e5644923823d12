package org.protoblock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Bytes received on the loopback interface so far, from {@code /proc/net/dev} (Linux): IP packets
 * with their TCP/IP headers, every process of the network namespace. The gossip-vs-gossipsub
 * script runs each half in a network namespace of its own so that nothing else is counted.
 */
final class LoopbackBytes {
    private static final Path DEV = Path.of("/proc/net/dev");

    private LoopbackBytes() {
    }

    /** Received bytes of {@code lo}; empty where {@code /proc/net/dev} cannot be read. */
    static OptionalLong received() {
        try {
            return parse(Files.readAllLines(DEV));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The {@code lo:} line's first counter (receive bytes). */
    static OptionalLong parse(List<String> lines) {
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.startsWith("lo:")) {
                String[] fields = trimmed.substring(3).trim().split("\\s+");
                return OptionalLong.of(Long.parseLong(fields[0]));
            }
        }
        return OptionalLong.empty();
    }
}
