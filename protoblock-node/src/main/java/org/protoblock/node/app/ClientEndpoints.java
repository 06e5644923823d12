package org.protoblock.node.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.protoblock.chain.service.Chain;
import org.protoblock.node.config.HostPort;
import org.protoblock.node.rpc.WebSocketRoute;
import org.protoblock.node.sp.ChainFeed;
import org.protoblock.node.sp.HostRateLimiter;
import org.protoblock.node.sp.NodeRequestService;
import org.protoblock.node.sp.SpEndpoint;
import org.protoblock.node.sp.SpIo;
import org.protoblock.node.sp.SpPublisher;
import org.protoblock.node.sp.SpServer;
import org.protoblock.node.sp.SpSettings;
import org.protoblock.node.sp.SubmitService;
import org.protoblock.node.sp.SpPortSharing;
import org.protoblock.node.sp.SpProtocol;
import org.protoblock.p2p.relay.CircuitSwitch;
import org.protoblock.p2p.transport.PortSharing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's nanomsg/nng-compatible endpoints: the seed's REP service, the PUB topics of blocks
 * and transactions, the submit REP, each on TCP (next free port when taken) and on ipc:// in
 * {@code <data-dir>/sp/}; the same endpoints are offered to the RPC port's WebSocket paths
 * ({@link #webSocketRoutes}) and to the P2P port ({@link #portSharing}).
 *
 * <p>Bounds: {@value #MAX_CONNECTIONS} connections per REP listener; PUB subscribers capped by
 * {@link SpSettings#maxSubscribers} per topic over all transports; each host {@value #RATE} REP
 * requests a second (bursts of {@value #BURST}), over all REP endpoints.
 *
 * <p>Threads: the node's starting thread sets everything up and closes it; the accessors only read
 * what start left behind. The endpoints themselves run on "sp-io", "sp-service" and "sp-feed".
 */
public final class ClientEndpoints implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClientEndpoints.class);
    public static final int MAX_CONNECTIONS = 256;
    public static final int RATE = 50;
    public static final int BURST = 200;
    public static final int MAX_HOSTS = 4096;
    /** NodeRequest is a few bytes; this leaves room for myip/myhost strings. */
    public static final int MAX_NODE_REQUEST_BYTES = 4096;
    public static final String IPC_DIR = "sp";

    private final CloseStack closeables = new CloseStack();
    private final Map<String, String> urls = new LinkedHashMap<>();
    private SpEndpoint rep;
    private SpEndpoint blocks;
    private SpEndpoint txs;
    private SpEndpoint submit;
    private SpPublisher blockTopic;
    private SpPublisher txTopic;
    private boolean p2pPort;

    private ClientEndpoints() {
    }

    /** Starts them as {@code spec.sp()} says; on failure closes what had started and rethrows. */
    public static ClientEndpoints start(NodeSpec spec, Chain chain, Supplier<List<String>> peerHosts) throws Exception {
        ClientEndpoints endpoints = new ClientEndpoints();
        try {
            endpoints.startParts(spec, chain, peerHosts);
            return endpoints;
        } catch (Exception | Error e) {
            endpoints.close();
            throw e;
        }
    }

    private void startParts(NodeSpec spec, Chain chain, Supplier<List<String>> peerHosts) throws Exception {
        SpSettings settings = spec.sp();
        if (!settings.enabled()) {
            return;
        }
        HostRateLimiter limiter = new HostRateLimiter(RATE, BURST, MAX_HOSTS, System::nanoTime);
        NodeRequestService service = new NodeRequestService(chain, peerHosts);
        closeables.push(service);
        SubmitService submitService = new SubmitService(chain);
        blockTopic = new SpPublisher("blocks", settings.maxSubscribers());
        txTopic = new SpPublisher("txs", settings.maxSubscribers());
        ChainFeed feed = new ChainFeed(blockTopic, txTopic);
        chain.addListener(feed);
        closeables.push(() -> {
            chain.removeListener(feed);
            feed.close();
        });
        rep = SpEndpoint.rep("rep", service, limiter, MAX_NODE_REQUEST_BYTES);
        blocks = SpEndpoint.pub(blockTopic);
        txs = SpEndpoint.pub(txTopic);
        submit = SpEndpoint.rep("submit", submitService, limiter, submitService.maxRequestBytes());
        p2pPort = settings.p2pPort();
        SpIo io = new SpIo(1);
        closeables.push(io);
        if (settings.rep().isPresent()) {
            tcp(io, spec, "rep", settings.rep().get(), rep);
        }
        tcp(io, spec, "blocks", settings.blocks(), blocks);
        tcp(io, spec, "txs", settings.txs(), txs);
        tcp(io, spec, "submit", settings.submit(), submit);
        if (settings.ipc()) {
            ipc(io, spec.dataDir(), settings);
        }
        log.info("SP endpoints: {}", urls);
    }

    private void tcp(SpIo io, NodeSpec spec, String name, HostPort address, SpEndpoint endpoint) throws Exception {
        SpServer server = PortBinder.bind("SP " + name, address, spec.nextFreePort(),
                hp -> SpServer.bindTcp(io, hp, endpoint, maxConnections(endpoint, spec.sp())));
        closeables.push(server);
        urls.put(name, server.url());
    }

    /** REP: {@value #MAX_CONNECTIONS}; PUB: as many as the topic takes subscribers (it closes the rest). */
    private static int maxConnections(SpEndpoint endpoint, SpSettings settings) {
        return endpoint.protocol() == SpProtocol.PUB ? settings.maxSubscribers() : MAX_CONNECTIONS;
    }

    private void ipc(SpIo io, Path dataDir, SpSettings settings) throws Exception {
        if (!io.supportsIpc()) {
            log.info("SP ipc:// endpoints off: the epoll transport did not load");
            return;
        }
        Path dir = dataDir.resolve(IPC_DIR);
        Files.createDirectories(dir);
        for (SpEndpoint e : List.of(rep, blocks, txs, submit)) {
            SpServer server = SpServer.bindIpc(io, dir.resolve(e.name() + ".ipc"), e, maxConnections(e, settings));
            closeables.push(server);
            urls.put(e.name() + "-ipc", server.url());
        }
    }

    /** For the P2P transport: the seed's REP service on the P2P port, when enabled. */
    public PortSharing portSharing() {
        return rep != null && p2pPort ? new SpPortSharing(rep, MAX_CONNECTIONS) : PortSharing.NONE;
    }

    /**
     * As {@link #portSharing()}, with the relay's circuit connections on the P2P port too: SP clients
     * are told apart first (they start "\0SP\0"), then circuits ("PBCIRC01"), and the rest are peers.
     */
    public PortSharing portSharing(CircuitSwitch circuits) {
        PortSharing sp = portSharing();
        return p2pInit -> sp.inbound(circuits.initializer(p2pInit));
    }

    /**
     * What the RPC port serves over WebSocket: {@code /sp/rep}, {@code /sp/blocks}, {@code /sp/txs},
     * {@code /sp/submit}. Public like their TCP ports: no RPC token.
     */
    public Map<String, WebSocketRoute> webSocketRoutes() {
        Map<String, WebSocketRoute> paths = new LinkedHashMap<>();
        if (rep == null) {
            return paths;
        }
        for (SpEndpoint e : List.of(rep, blocks, txs, submit)) {
            paths.put("/sp/" + e.name(), new WebSocketRoute(Optional.of(e.protocol().webSocketSubprotocol()),
                    e.maxMessageBytes(), false, e::initWebSocket));
        }
        return paths;
    }

    /** The PUB topics of new blocks and new transactions (empty when the endpoints are off). */
    public Optional<SpPublisher> blockTopic() {
        return Optional.ofNullable(blockTopic);
    }

    public Optional<SpPublisher> txTopic() {
        return Optional.ofNullable(txTopic);
    }

    /** Where each endpoint listens, by name ({@code rep}, {@code blocks}, ..., {@code blocks-ipc}, ...). */
    public Map<String, String> urls() {
        return Map.copyOf(urls);
    }

    @Override
    public void close() {
        closeables.close();
    }
}
