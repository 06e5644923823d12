package org.protoblock.node.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.service.ChainConfig;
import org.protoblock.chain.store.RocksDbChainStore;
import org.protoblock.node.config.HostPort;
import org.protoblock.node.dashboard.Dashboard;
import org.protoblock.node.metrics.NodeMetrics;
import org.protoblock.node.rpc.ChainRpcMethods;
import org.protoblock.node.rpc.DashboardRpcMethods;
import org.protoblock.node.rpc.HttpRoutes;
import org.protoblock.node.rpc.JsonRpcDispatcher;
import org.protoblock.node.rpc.LiveEvents;
import org.protoblock.node.rpc.NetworkRpcMethods;
import org.protoblock.node.rpc.RpcAuth;
import org.protoblock.node.rpc.RpcMethod;
import org.protoblock.node.rpc.RpcServer;
import org.protoblock.node.rpc.WebSocketRoute;
import org.protoblock.node.rpc.WsRpcHandler;
import org.protoblock.node.status.ChainStats;
import org.protoblock.p2p.P2pNode;
import org.protoblock.p2p.host.P2pConfig;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.relay.CircuitSwitch;
import org.protoblock.p2p.relay.RelayConfig;
import org.protoblock.p2p.transport.TcpTransport;
import org.protoblock.p2p.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: chain (RocksDB in {@code <data-dir>/chain}), p2p (with peer management), metrics and
 * the RPC server, started in that order and closed in reverse (RPC, p2p, chain), so no request or
 * peer reaches a closed chain and the store closes last, intact.
 *
 * <p>Data dir layout: {@code chain/} (RocksDB), {@value #NODE_KEY} (Noise static key),
 * {@code identity.key} (Ed25519 identity: the node id; see {@code NodeKey}),
 * {@code genesis.block} (for a private network), {@code rpc.token} (when RPC is exposed),
 * {@code protoblock.conf}.
 */
public final class NodeApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeApp.class);
    public static final String NODE_KEY = "node.key";
    public static final String CHAIN_DIR = "chain";
    private static final int TRANSPORT_THREADS = 2;
    /** JSON-RPC over WebSocket, with subscriptions. */
    public static final String WS_PATH = "/ws";

    private final NodeSpec spec;
    private final CloseStack closeables = new CloseStack();
    private Chain chain;
    private P2pNode p2p;
    private ChainStats stats;
    private NodeMetrics metrics;
    private RpcServer rpc;
    private ClientEndpoints clients;
    private LiveEvents liveEvents;
    private PeerAddress p2pAddress;
    private Optional<String> rpcToken = Optional.empty();
    private boolean closed;

    private NodeApp(NodeSpec spec) {
        this.spec = spec;
    }

    /** Starts every part; on failure closes what had started and rethrows. */
    public static NodeApp start(NodeSpec spec) throws Exception {
        NodeApp app = new NodeApp(spec);
        try {
            app.startParts();
            return app;
        } catch (Exception | Error e) {
            app.close();
            throw e;
        }
    }

    private void startParts() throws Exception {
        Path dataDir = spec.dataDir();
        java.nio.file.Files.createDirectories(dataDir);
        ChainConfig config = ChainConfig.defaults(spec.network());
        if (spec.producerKey().isPresent()) {
            config = config.withProducer(spec.producerKey().get(), spec.producerInterval());
        }
        RocksDbChainStore store = RocksDbChainStore.open(dataDir.resolve(CHAIN_DIR));
        try {
            chain = Chain.open(config, store);
        } catch (Exception | Error e) {
            store.close();
            throw e;
        }
        closeables.push(chain);
        stats = new ChainStats();
        chain.addListener(stats);

        // before the P2P port opens, which may serve their REP too; peers are known once p2p is up
        AtomicReference<P2pNode> p2pStarted = new AtomicReference<>();
        clients = closeables.push(ClientEndpoints.start(spec, chain, () -> Optional.ofNullable(p2pStarted.get())
                .map(n -> n.host().sessions().stream().map(s -> s.remoteAddress().host()).toList()).orElse(List.of())));

        NodeKey nodeKey = NodeKey.loadOrCreate(dataDir.resolve(NODE_KEY));
        // A node of its own transport relays circuits on its P2P port (RelayService decides when).
        RelayConfig relay = RelayConfig.defaults();
        Optional<CircuitSwitch> circuits = spec.sharedTransport().isEmpty()
                ? Optional.of(new CircuitSwitch(relay.pendingTimeout())) : Optional.empty();
        Transport transport = spec.sharedTransport().orElseGet(() -> {
            TcpTransport own = TcpTransport.create(TRANSPORT_THREADS, clients.portSharing(circuits.orElseThrow()));
            closeables.push(own);
            return own;
        });
        P2pConfig p2pConfig = P2pConfig.builder().agent(spec.agent()).build();
        p2p = spec.peerManagement()
                .map(peers -> P2pNode.create(chain, nodeKey, transport, p2pConfig, peers.toBuilder().seeds(spec.seeds()).build(),
                        relay, circuits))
                .orElseGet(() -> P2pNode.create(chain, nodeKey, transport, p2pConfig));
        closeables.push(p2p);
        p2pStarted.set(p2p);
        HostPort listen = spec.listen();
        p2pAddress = PortBinder.bind("P2P", listen, spec.nextFreePort(),
                hp -> p2p.listen(PeerAddress.tcp(hp.host(), hp.port())).get(10, TimeUnit.SECONDS));

        metrics = closeables.push(new NodeMetrics(chain, p2p, stats));
        closeables.push(p2p.host().events().register(metrics, metrics.messageTypes()));

        p2p.start(); // after listen, so that Hello and LAN beacons carry our address

        startRpc();
        log.info("Node {} of {} up: P2P {}, RPC {}{}", nodeKey.nodeId().shortForm(), spec.network().networkId(), p2pAddress,
                rpcUrl(), chain.isProducer() ? ", producing blocks" : "");
    }

    private void startRpc() throws Exception {
        boolean needsToken = spec.requireRpcToken() || !RpcAuth.isLoopback(spec.rpc().host());
        RpcAuth auth = RpcAuth.open();
        if (needsToken) {
            rpcToken = Optional.of(RpcAuth.loadOrCreateToken(spec.dataDir()));
            auth = RpcAuth.withToken(rpcToken.get());
            log.info("RPC on {} requires the token in {}", spec.rpc(), spec.dataDir().resolve(RpcAuth.TOKEN_FILE));
        }
        ObjectMapper mapper = new ObjectMapper();
        LiveEvents live = closeables.push(new LiveEvents(mapper, () -> p2p.sync().progress()));
        liveEvents = live;
        chain.addListener(live);
        closeables.push(() -> chain.removeListener(live));
        closeables.push(p2p.host().events().register(live, Set.of()));
        RpcAuth finalAuth = auth;
        rpc = PortBinder.bind("RPC", spec.rpc(), spec.nextFreePort(), hp -> {
            ThreadPoolExecutor executor = RpcServer.newExecutor();
            Map<String, RpcMethod> methods = new HashMap<>(new ChainRpcMethods(chain, executor).methods());
            methods.putAll(new NetworkRpcMethods(chain, p2p, executor).methods());
            methods.putAll(new DashboardRpcMethods(p2p).methods());
            JsonRpcDispatcher dispatcher = new JsonRpcDispatcher(mapper, methods);
            Map<String, WebSocketRoute> webSockets = new HashMap<>(clients.webSocketRoutes());
            webSockets.put(WS_PATH, WsRpcHandler.route(dispatcher, live, executor, mapper));
            HttpRoutes routes = new HttpRoutes(dispatcher, metrics::scrape, webSockets,
                    Map.of(Dashboard.PATH, Dashboard.page()));
            return RpcServer.bind(hp, routes, finalAuth, spec.rpcAccess(), executor, mapper);
        });
        closeables.push(rpc);
    }

    public NodeSpec spec() {
        return spec;
    }

    public Chain chain() {
        return chain;
    }

    public P2pNode p2p() {
        return p2p;
    }

    public ChainStats stats() {
        return stats;
    }

    public NodeMetrics metrics() {
        return metrics;
    }

    /** The nanomsg/nng-compatible endpoints. */
    public ClientEndpoints clientEndpoints() {
        return clients;
    }

    /** The WebSocket subscriptions of JSON-RPC. */
    public LiveEvents liveEvents() {
        return liveEvents;
    }

    /** The bound P2P address (port resolved). */
    public PeerAddress p2pAddress() {
        return p2pAddress;
    }

    public InetSocketAddress rpcAddress() {
        return rpc.address();
    }

    public URI rpcUrl() {
        InetSocketAddress a = rpc.address();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return URI.create("http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    /** The RPC token, when this node requires one. */
    public Optional<String> rpcToken() {
        return rpcToken;
    }

    /** RPC, metrics, p2p, transport (if owned), then the chain (drains its executor, closes the store). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeables.close();
    }
}
