package org.protoblock.node.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies the precedence flags > environment ({@code PROTOBLOCK_<KEY>}, dashes as underscores) >
 * config file > defaults to the node's settings. The data dir and genesis come from flags or the
 * environment only: the config file lives in the data dir, and the default data dir
 * ({@code ~/.protoblock/<network>}) depends on the network.
 */
public final class SettingsResolver {
    public static final String DATA_DIR = "data-dir";
    public static final String GENESIS = "genesis";
    public static final String LISTEN = "listen";
    public static final String RPC = "rpc";
    public static final String SEED = "seed";
    public static final String PRODUCER_KEY = "producer-key";
    public static final String LOG_LEVEL = "log-level";
    public static final String LAN = "lan";
    public static final String NAT = "nat";
    public static final String RPC_HOSTS = "rpc-hosts";
    public static final String RPC_ORIGINS = "rpc-origins";
    /** Keys a config file may set. */
    public static final Set<String> FILE_KEYS = Set.of(LISTEN, RPC, SEED, PRODUCER_KEY, LOG_LEVEL, LAN, NAT, RPC_HOSTS, RPC_ORIGINS);
    private static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    /** Flag values that were given (absent flags not in the map); seeds are repeatable, so a list. */
    public record Flags(Map<String, String> values, List<String> seeds) {
        public Flags {
            values = Map.copyOf(values);
            seeds = List.copyOf(seeds);
        }
    }

    private final Flags flags;
    private final Map<String, String> env;

    public SettingsResolver(Flags flags, Map<String, String> env) {
        this.flags = flags;
        this.env = Map.copyOf(env);
    }

    public static String envName(String key) {
        return "PROTOBLOCK_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The data dir if a flag or the environment names one. */
    public Optional<Path> explicitDataDir() {
        return early(DATA_DIR).map(Path::of);
    }

    public Optional<Path> genesis() {
        return early(GENESIS).map(Path::of);
    }

    /** Resolves the rest against {@code file} (entries of the data dir's config file). */
    public NodeSettings resolve(Path dataDir, Map<String, String> file) throws ConfigException {
        for (String key : file.keySet()) {
            if (!FILE_KEYS.contains(key)) {
                throw new ConfigException("unknown key '" + key + "' in " + ConfigFile.FILE_NAME
                        + " (known: " + String.join(", ", FILE_KEYS.stream().sorted().toList()) + ")");
            }
        }
        HostPort listen = hostPort(LISTEN, file).orElse(NodeSettings.DEFAULT_LISTEN);
        HostPort rpc = hostPort(RPC, file).orElse(NodeSettings.DEFAULT_RPC);
        List<HostPort> seeds = new ArrayList<>();
        for (String text : seedTexts(file)) {
            seeds.add(HostPort.tryParse(text).orElseThrow(() -> new ConfigException("seed: expected HOST:PORT, got '" + text + "'")));
        }
        Optional<Path> producerKey = value(PRODUCER_KEY, file).map(Path::of);
        String level = value(LOG_LEVEL, file).orElse(NodeSettings.DEFAULT_LOG_LEVEL).toUpperCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            throw new ConfigException("log-level: expected one of " + LOG_LEVELS + ", got '" + level + "'");
        }
        String lanText = value(LAN, file).orElse("true").toLowerCase(Locale.ROOT);
        if (!lanText.equals("true") && !lanText.equals("false")) {
            throw new ConfigException("lan: expected true or false, got '" + lanText + "'");
        }
        String natText = value(NAT, file).orElse("auto").toLowerCase(Locale.ROOT);
        if (!natText.equals("auto") && !natText.equals("off")) {
            throw new ConfigException("nat: expected auto or off, got '" + natText + "'");
        }
        return new NodeSettings(dataDir, genesis(), listen, rpc, seeds, producerKey, level, Boolean.parseBoolean(lanText),
                natText.equals("auto"), list(RPC_HOSTS, file), list(RPC_ORIGINS, file));
    }

    /** Where {@code key}'s value came from, for the start-up log. */
    public SettingSource sourceOf(String key, Map<String, String> file) {
        if (flags.values().containsKey(key) || (SEED.equals(key) && !flags.seeds().isEmpty())) {
            return SettingSource.FLAG;
        }
        if (env.containsKey(envName(key))) {
            return SettingSource.ENVIRONMENT;
        }
        return file.containsKey(key) ? SettingSource.FILE : SettingSource.DEFAULT;
    }

    private Optional<String> early(String key) {
        return Optional.ofNullable(flags.values().get(key))
                .or(() -> Optional.ofNullable(env.get(envName(key))))
                .filter(v -> !v.isBlank());
    }

    private Optional<String> value(String key, Map<String, String> file) {
        return early(key).or(() -> Optional.ofNullable(file.get(key))).filter(v -> !v.isBlank());
    }

    /** A comma- or space-separated list. */
    private List<String> list(String key, Map<String, String> file) {
        return value(key, file).map(v -> List.of(v.split("[,\\s]+"))).orElse(List.of()).stream()
                .filter(s -> !s.isBlank()).toList();
    }

    private List<String> seedTexts(Map<String, String> file) {
        if (!flags.seeds().isEmpty()) {
            return flags.seeds();
        }
        return list(SEED, file);
    }

    private Optional<HostPort> hostPort(String key, Map<String, String> file) throws ConfigException {
        Optional<String> text = value(key, file);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(HostPort.tryParse(text.get())
                .orElseThrow(() -> new ConfigException(key + ": expected HOST:PORT, got '" + text.get() + "'")));
    }

    /** Reads the config file, turning I/O trouble into a {@link ConfigException}. */
    public static Map<String, String> readFile(Path file) throws ConfigException {
        try {
            return ConfigFile.read(file);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
