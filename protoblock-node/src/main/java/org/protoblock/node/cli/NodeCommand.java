package org.protoblock.node.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.network.NetworkParams;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.node.app.LogSetup;
import org.protoblock.node.app.NetworkResolver;
import org.protoblock.node.app.NodeApp;
import org.protoblock.node.app.NodeSpec;
import org.protoblock.node.config.ConfigFile;
import org.protoblock.node.config.DataDirs;
import org.protoblock.node.config.HostPort;
import org.protoblock.node.config.NodeSettings;
import org.protoblock.node.config.SettingsResolver;
import org.protoblock.node.rpc.RpcAccess;
import org.protoblock.node.sp.SpSettings;
import org.protoblock.p2p.peer.PeerConfig;
import org.protoblock.p2p.transport.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code protoblock node}: runs a full node until SIGINT/SIGTERM. Zero configuration: mainnet,
 * {@code ~/.protoblock/<network>}, P2P on 0.0.0.0:8125, RPC on 127.0.0.1:8080 (next free ports
 * when taken). Flags beat PROTOBLOCK_* variables, which beat the data dir's protoblock.conf.
 */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Run a full node (mainnet unless --genesis names a private network).")
final class NodeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(NodeCommand.class);

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: ~/.protoblock/<network>)")
    Optional<String> dataDir;

    @Option(names = "--genesis", paramLabel = "FILE", description = "Genesis of a private network (default: mainnet)")
    Optional<String> genesis;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "P2P address (default: 0.0.0.0:8125)")
    Optional<String> listen;

    @Option(names = "--rpc", paramLabel = "HOST:PORT", description = "JSON-RPC and /metrics address (default: 127.0.0.1:8080)")
    Optional<String> rpc;

    @Option(names = "--rpc-hosts", paramLabel = "NAMES", description = "Names besides the RPC host and localhost that RPC requests may carry in Host, comma-separated; * for any (as geth's --http.vhosts)")
    Optional<String> rpcHosts;

    @Option(names = "--rpc-origins", paramLabel = "ORIGINS", description = "Web origins besides the node's own whose pages may call the RPC, comma-separated; * for any (as geth's --http.corsdomain)")
    Optional<String> rpcOrigins;

    @Option(names = "--seed", paramLabel = "HOST:PORT", description = "Peer to dial at start (repeatable)")
    List<String> seeds = List.of();

    @Option(names = "--producer-key", paramLabel = "FILE", description = "Produce blocks with this key (if it is one of the network's producers)")
    Optional<String> producerKey;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "TRACE, DEBUG, INFO (default), WARN, ERROR")
    Optional<String> logLevel;

    @Option(names = "--lan", paramLabel = "true|false", description = "LAN discovery by UDP multicast (default: true)")
    Optional<String> lan;

    @Option(names = "--nat", paramLabel = "auto|off", description = "Ask the router to forward the P2P port by PCP, NAT-PMP or UPnP-IGD (default: auto)")
    Optional<String> nat;

    @Option(names = "--sp", arity = "1", paramLabel = "true|false", defaultValue = "true",
            description = "nanomsg/nng endpoints: PUB blocks on 8126, PUB transactions on 8127, submit on 8128, ipc:// in the data dir (default: true)")
    boolean sp;

    @Option(names = "--sp-blocks", paramLabel = "HOST:PORT", description = "PUB of new blocks (default: the P2P host, 8126)")
    Optional<String> spBlocks;

    @Option(names = "--sp-txs", paramLabel = "HOST:PORT", description = "PUB of new transactions (default: the P2P host, 8127)")
    Optional<String> spTxs;

    @Option(names = "--sp-submit", paramLabel = "HOST:PORT", description = "REP taking transactions (default: the P2P host, 8128)")
    Optional<String> spSubmit;

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = System.getenv();
        Map<String, String> flags = new HashMap<>();
        dataDir.ifPresent(v -> flags.put(SettingsResolver.DATA_DIR, v));
        genesis.ifPresent(v -> flags.put(SettingsResolver.GENESIS, v));
        listen.ifPresent(v -> flags.put(SettingsResolver.LISTEN, v));
        rpc.ifPresent(v -> flags.put(SettingsResolver.RPC, v));
        rpcHosts.ifPresent(v -> flags.put(SettingsResolver.RPC_HOSTS, v));
        rpcOrigins.ifPresent(v -> flags.put(SettingsResolver.RPC_ORIGINS, v));
        producerKey.ifPresent(v -> flags.put(SettingsResolver.PRODUCER_KEY, v));
        logLevel.ifPresent(v -> flags.put(SettingsResolver.LOG_LEVEL, v));
        lan.ifPresent(v -> flags.put(SettingsResolver.LAN, v));
        nat.ifPresent(v -> flags.put(SettingsResolver.NAT, v));
        SettingsResolver resolver = new SettingsResolver(new SettingsResolver.Flags(flags, seeds), env);

        NetworkParams flagged = network(() -> NetworkResolver.fromFlag(resolver.genesis()));
        Path dir = resolver.explicitDataDir().orElseGet(() -> DataDirs.defaultDataDir(env, flagged.networkId()));
        Files.createDirectories(dir);
        Path configFile = dir.resolve(ConfigFile.FILE_NAME);
        if (ConfigFile.writeTemplateIfAbsent(configFile)) {
            log.info("Created config file {}", configFile);
        }
        Map<String, String> file = SettingsResolver.readFile(configFile);
        NodeSettings settings = resolver.resolve(dir, file);
        LogSetup.rootLevel(settings.logLevel());
        NetworkParams network = network(() -> NetworkResolver.resolve(settings.genesis(), dir));
        Optional<KeyPair> producer = Optional.empty();
        if (settings.producerKey().isPresent()) {
            try {
                producer = Optional.of(KeyPair.load(settings.producerKey().get()));
            } catch (IOException e) {
                throw CliException.failure("cannot load producer key: " + e.getMessage());
            }
        }
        log.info("Data dir {} (network {}); listen {} [{}], rpc {} [{}], {} seed(s)", dir, network.networkId(),
                settings.listen(), resolver.sourceOf(SettingsResolver.LISTEN, file), settings.rpc(),
                resolver.sourceOf(SettingsResolver.RPC, file), settings.seeds().size());
        NodeSpec spec = new NodeSpec(network, dir, settings.listen(), settings.rpc(), true,
                settings.seeds().stream().map(s -> PeerAddress.tcp(s.host(), s.port())).toList(), producer,
                NodeSpec.PRODUCER_INTERVAL, Optional.empty(), false, NodeSpec.AGENT, Optional.of(PeerConfig.defaults().toBuilder().lanEnabled(settings.lan()).portMapping(settings.portMapping()).build()))
                .withSp(spSettings(settings.listen().host()))
                .withRpcAccess(new RpcAccess(settings.rpcHosts(), settings.rpcOrigins()));
        NodeApp app;
        try {
            app = NodeApp.start(spec);
        } catch (ValidationException e) {
            throw CliException.failure("cannot open the chain: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Shutting down");
            app.close();
            log.info("Node stopped cleanly");
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return ExitCodes.OK;
    }

    /** The SP endpoints: the seed's layout on the P2P host unless flags move them; a taken port moves to the next free one. */
    private SpSettings spSettings(String host) throws CliException {
        if (!sp) {
            return SpSettings.off();
        }
        SpSettings d = SpSettings.defaults(host);
        return new SpSettings(true, d.rep(), d.p2pPort(), hostPort(spBlocks, d.blocks()), hostPort(spTxs, d.txs()),
                hostPort(spSubmit, d.submit()), d.ipc(), d.maxSubscribers());
    }

    private static HostPort hostPort(Optional<String> flag, HostPort fallback) throws CliException {
        if (flag.isEmpty()) {
            return fallback;
        }
        return HostPort.tryParse(flag.get()).orElseThrow(() -> CliException.usage("not HOST:PORT: " + flag.get()));
    }

    /** Loads a network, mapping the chain's errors to one-line failures. */
    private static NetworkParams network(NetworkLoader loader) throws CliException {
        try {
            return loader.load();
        } catch (java.nio.file.NoSuchFileException e) {
            throw CliException.failure("no such genesis file: " + e.getFile());
        } catch (IOException e) {
            throw CliException.failure(e.getMessage());
        } catch (ValidationException e) {
            throw CliException.failure("not a valid genesis: " + e.getMessage());
        }
    }

    @FunctionalInterface
    private interface NetworkLoader {
        NetworkParams load() throws IOException, ValidationException;
    }

}
