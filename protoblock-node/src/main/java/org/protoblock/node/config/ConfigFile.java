package org.protoblock.node.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The node's config file in its data dir, {@value #FILE_NAME}: {@code key = value} lines
 * (Java properties syntax, {@code #} comments), keys as the long flags without dashes in front
 * ({@code listen}, {@code rpc}, {@code seed} comma separated, {@code producer-key}, {@code log-level}, {@code lan}, {@code nat}, {@code rpc-hosts}, {@code rpc-origins}).
 * Written with every key commented out on first start so a user sees what can be set.
 */
public final class ConfigFile {
    public static final String FILE_NAME = "protoblock.conf";
    /** A config file larger than this is refused (it is a handful of lines). */
    public static final long MAX_BYTES = 64 * 1024;

    private ConfigFile() {
    }

    /** The file's entries, or none when it does not exist. */
    public static Map<String, String> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Map.of();
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException("config file larger than " + MAX_BYTES + " bytes: " + file);
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        }
        Map<String, String> values = new TreeMap<>();
        props.forEach((k, v) -> values.put(k.toString().strip(), v.toString().strip()));
        return values;
    }

    /** Writes the commented template unless a file is already there; returns whether it wrote one. */
    public static boolean writeTemplateIfAbsent(Path file) throws IOException {
        if (Files.exists(file)) {
            return false;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        String text = """
                # Protoblock node configuration. Precedence: command-line flags > PROTOBLOCK_* environment
                # variables (e.g. PROTOBLOCK_RPC) > this file > built-in defaults.
                #
                # P2P listen address (the next free port is taken when this one is busy)
                #listen = 0.0.0.0:8125
                # JSON-RPC and /metrics (a non-loopback address requires the token in rpc.token)
                #rpc = 127.0.0.1:8080
                # Names besides the RPC host, localhost and IP literals that RPC requests may carry in Host
                #rpc-hosts = node.example
                # Web origins besides the node's own whose pages may call the RPC (* for any)
                #rpc-origins = https://app.example
                # Peers to dial at start, comma separated
                #seed = host1:8125, host2:8125
                # Block producer key file (only used when it is one of the network's producer keys)
                #producer-key = /path/to/producer.key
                # TRACE, DEBUG, INFO, WARN, ERROR
                #log-level = INFO
                # Find peers on the local network by UDP multicast (239.255.81.25:8126)
                #lan = true
                # Ask the router to forward the P2P port (PCP, then NAT-PMP, then UPnP-IGD): auto or off
                #nat = auto
                """;
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return true;
    }
}
