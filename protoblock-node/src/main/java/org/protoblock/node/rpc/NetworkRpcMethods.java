package org.protoblock.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.protoblock.chain.service.Chain;
import org.protoblock.node.config.HostPort;
import org.protoblock.p2p.P2pNode;
import org.protoblock.p2p.discovery.SignedRecord;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkClosedException;
import org.protoblock.p2p.peer.NodeUnreachableException;
import org.protoblock.p2p.peer.PeerOperator;
import org.protoblock.p2p.reachability.Reachability;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.sync.SyncProgress;
import org.protoblock.p2p.transport.PeerAddress;

/** The network's JSON-RPC methods: peers, network info, addnode, getaddednodeinfo, disconnectnode, sync status. */
public final class NetworkRpcMethods {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Chain chain;
    private final P2pNode p2p;
    private final Executor executor;

    public NetworkRpcMethods(Chain chain, P2pNode p2p, Executor executor) {
        this.chain = chain;
        this.p2p = p2p;
        this.executor = executor;
    }

    private static final int MAX_NODE_ADDRESSES = 2_500;

    public Map<String, RpcMethod> methods() {
        return Map.of(
                "getpeerinfo", this::getPeerInfo,
                "getnetworkinfo", this::getNetworkInfo,
                "addnode", this::addNode,
                "getaddednodeinfo", this::getAddedNodeInfo,
                "disconnectnode", this::disconnectNode,
                "getsyncstatus", this::getSyncStatus,
                "getnodeaddresses", this::getNodeAddresses,
                "getconnectioncount", p -> {
                    p.expect(List.of());
                    return done(JSON.numberNode(p2p.host().sessionCount()));
                });
    }

    private CompletableFuture<JsonNode> getPeerInfo(RpcParams p) throws RpcException {
        p.expect(List.of());
        ArrayNode peers = JSON.arrayNode();
        for (Session s : p2p.host().sessions()) {
            Hello hello = s.remoteHello();
            ObjectNode peer = peers.addObject();
            peer.put("id", s.nodeId().hex());
            peer.put("addr", s.remoteAddress().toString());
            peer.put("inbound", s.direction() == Direction.INBOUND);
            peer.put("connection", s.connection().wireName());
            peer.put("height", hello.head().num());
            peer.put("headhash", hello.head().id().toHex());
            peer.put("agent", hello.agent());
            peer.put("version", hello.protocolVersion());
            s.latency().ifPresentOrElse(l -> peer.put("latency", l.toNanos() / 1e6), () -> peer.set("latency", NullNode.instance));
            peer.put("conntime", s.connectedAt().getEpochSecond());
            ArrayNode listen = peer.putArray("listenaddrs");
            hello.listenAddresses().forEach(a -> listen.add(a.toString()));
            ArrayNode services = peer.putArray("services");
            hello.services().forEach(sv -> services.add(sv.name().toLowerCase(Locale.ROOT)));
            peer.put("banscore", p2p.scores().score(s.nodeId()));
        }
        return done(peers);
    }

    private CompletableFuture<JsonNode> getNetworkInfo(RpcParams p) throws RpcException {
        p.expect(List.of());
        ObjectNode out = JSON.objectNode();
        var network = chain.config().network();
        out.put("network", network.name());
        out.put("networkid", network.networkId());
        out.put("genesis", network.genesisId().toHex());
        out.put("nodeid", p2p.host().nodeId().hex());
        p2p.discovery().record(p2p.host().nodeId()).ifPresent(r -> out.set("peerrecord", peerRecord(r)));
        out.put("agent", p2p.host().config().agent());
        out.put("protocolversion", p2p.host().config().protocolVersion().current());
        long in = p2p.host().sessions().stream().filter(s -> s.direction() == Direction.INBOUND).count();
        out.put("connections", p2p.host().sessionCount());
        out.put("connections_in", in);
        out.put("connections_out", p2p.host().sessionCount() - in);
        out.put("producer", chain.isProducer());
        ArrayNode addrs = out.putArray("localaddresses");
        p2p.host().listenAddresses().forEach(a -> addrs.add(a.toString()));
        Reachability reach = p2p.reachability().current();
        out.put("reachability", reach.state().wireName());
        ArrayNode external = out.putArray("externaladdresses");
        reach.verified().forEach(a -> external.add(a.toString()));
        reach.mapping().ifPresentOrElse(m -> {
            ObjectNode mapping = out.putObject("portmapping");
            mapping.put("protocol", m.protocol().wireName());
            mapping.put("external", PeerAddress.tcp(m.external().getAddress().getHostAddress(), m.external().getPort()).toString());
            mapping.put("expires", m.expires().getEpochSecond());
        }, () -> out.set("portmapping", NullNode.instance));
        out.put("warnings", chain.storeFailure().map(Throwable::getMessage).orElse("")); // as Bitcoin Core's
        return done(out);
    }

    /** A signed peer record as JSON: sequence and addresses (a relayed one names its relay's node id). */
    private static ObjectNode peerRecord(SignedRecord record) {
        ObjectNode out = JSON.objectNode();
        out.put("sequence", record.sequence());
        ArrayNode addresses = out.putArray("addresses");
        for (SignedRecord.Address a : record.addresses()) {
            ObjectNode entry = addresses.addObject().put("address", a.address().toString());
            a.relay().ifPresent(relay -> entry.put("relay", relay.hex()));
        }
        return out;
    }

    /**
     * addnode "host:port" | nodeid ["onetry"|"add"|"remove"]. onetry (the default): dials now and
     * answers with the peer once connected. add: an operator peer, kept linked (reconnected with
     * backoff, never evicted) until removed; answers at once. remove: no longer kept (an open link
     * stays, as in Bitcoin Core). A 64-hex node id is dialed at the addresses of its signed record
     * (found here or through our peers), directly, through a relay, or by hole punching.
     */
    private CompletableFuture<JsonNode> addNode(RpcParams p) throws RpcException {
        p.expect(List.of("node", "command"));
        String node = p.string(0, "node");
        String command = p.get(1, "command").map(JsonNode::asText).orElse("onetry");
        Optional<NodeId> id = nodeId(node);
        switch (command) {
            case "onetry" -> {
                return connectOnce(node, id);
            }
            case "add", "remove" -> {
                Optional<PeerAddress> address = id.isPresent() ? Optional.empty() : Optional.of(peerAddress(node));
                PeerOperator operator = p2p.peerManager().operator();
                return CompletableFuture.supplyAsync(() -> {
                    boolean add = command.equals("add");
                    boolean changed = add ? id.map(operator::addNode).orElseGet(() -> operator.addNode(address.get()))
                            : id.map(operator::removeNode).orElseGet(() -> operator.removeNode(address.get()));
                    if (!changed) {
                        throw new CompletionException(add
                                ? new RpcException(RpcException.MISC_ERROR, "too many added nodes (" + PeerOperator.MAX_ADDED_NODES + ")")
                                : new RpcException(RpcException.NODE_NOT_ADDED, "Node has not been added"));
                    }
                    return (JsonNode) NullNode.instance;
                }, executor);
            }
            default -> throw RpcException.invalidParams("command must be \"onetry\", \"add\" or \"remove\"");
        }
    }

    /** getaddednodeinfo: the operator's peers ({@code addnode … add}) and whether each is linked now. */
    private CompletableFuture<JsonNode> getAddedNodeInfo(RpcParams p) throws RpcException {
        p.expect(List.of());
        PeerOperator operator = p2p.peerManager().operator();
        return CompletableFuture.supplyAsync(() -> {
            ArrayNode out = JSON.arrayNode();
            operator.addedNodes().forEach(n -> out.addObject().put("addednode", n.target()).put("connected", n.connected()));
            return (JsonNode) out;
        }, executor);
    }

    private CompletableFuture<JsonNode> connectOnce(String node, Optional<NodeId> id) throws RpcException {
        CompletableFuture<Session> dial;
        String target;
        if (id.isPresent()) {
            dial = p2p.dial(id.get());
            target = "node " + id.get().hex();
        } else {
            PeerAddress address = peerAddress(node);
            dial = p2p.dial(address);
            target = address.toString();
        }
        return dial.handleAsync((session, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                String why = cause instanceof LinkClosedException || cause instanceof NodeUnreachableException ? cause.getMessage()
                        : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
                throw new CompletionException(new RpcException(RpcException.MISC_ERROR, "cannot connect to " + target + ": " + why));
            }
            return (JsonNode) JSON.objectNode().put("id", session.nodeId().hex()).put("addr", session.remoteAddress().toString());
        }, executor);
    }

    /** disconnectnode "address" | nodeid (Bitcoin Core's positional address, or named {@code nodeid}). */
    private CompletableFuture<JsonNode> disconnectNode(RpcParams p) throws RpcException {
        p.expect(List.of("address", "nodeid"));
        Optional<String> address = p.get(0, "address").map(JsonNode::asText).filter(s -> !s.isEmpty());
        Optional<String> nodeId = p.get(1, "nodeid").map(JsonNode::asText);
        if (address.isEmpty() && nodeId.isEmpty()) {
            throw RpcException.invalidParams("give address or nodeid");
        }
        String wanted = address.or(() -> nodeId).get().toLowerCase(Locale.ROOT);
        for (Session s : p2p.host().sessions()) {
            if (s.nodeId().hex().equals(wanted) || s.remoteAddress().toString().equals(wanted)
                    || HostPort.tryParse(wanted).map(hp -> hp.host().equals(s.remoteAddress().host())
                    && hp.port() == s.remoteAddress().port()).orElse(false)) {
                s.disconnect(DisconnectReason.REQUESTED, "disconnectnode RPC");
                return done(NullNode.instance);
            }
        }
        throw new RpcException(RpcException.NODE_NOT_CONNECTED, "Node not found in connected nodes");
    }

    /** getnodeaddresses [count]: the address book (Bitcoin Core's method; 0 or no count: all, up to 2,500). */
    private CompletableFuture<JsonNode> getNodeAddresses(RpcParams p) throws RpcException {
        p.expect(List.of("count"));
        int count = p.optionalInt(0, "count").orElse(0);
        if (count < 0) {
            throw RpcException.invalidParams("count must be 0 (all) or more");
        }
        int limit = count == 0 ? MAX_NODE_ADDRESSES : Math.min(count, MAX_NODE_ADDRESSES);
        ArrayNode out = JSON.arrayNode();
        p2p.discovery().knownPeers().stream().limit(limit).forEach(k -> out.addObject()
                .put("nodeid", k.nodeId().hex())
                .put("address", k.address().toString())
                .put("time", k.lastSeen().getEpochSecond())
                .put("tried", k.tried()));
        return done(out);
    }

    private CompletableFuture<JsonNode> getSyncStatus(RpcParams p) throws RpcException {
        p.expect(List.of());
        SyncProgress progress = p2p.sync().progress();
        boolean syncing = progress.state() == SyncProgress.State.SYNCING;
        long height = chain.head().num();
        ObjectNode out = JSON.objectNode();
        out.put("syncing", syncing);
        out.put("height", height);
        out.put("headhash", chain.head().id().toHex());
        out.put("target", syncing ? Math.max(height, progress.targetNum()) : height);
        out.put("startheight", syncing ? progress.startNum() : height);
        out.put("progress", progress.percent() / 100.0);
        out.put("blockspersecond", progress.blocksPerSecond());
        progress.eta().ifPresentOrElse(eta -> out.put("etaseconds", eta.toSeconds()), () -> out.set("etaseconds", NullNode.instance));
        return done(out);
    }

    /** A node id when {@code text} is 64 hex digits (either case). */
    static Optional<NodeId> nodeId(String text) {
        String lower = text.strip().toLowerCase(Locale.ROOT);
        return lower.length() == NodeId.BYTES * 2 && lower.chars().allMatch(c -> Character.digit(c, 16) >= 0)
                ? Optional.of(new NodeId(lower)) : Optional.empty();
    }

    static PeerAddress peerAddress(String text) throws RpcException {
        Optional<PeerAddress> parsed = text.contains("://") ? PeerAddress.parse(text) : Optional.empty();
        if (parsed.isPresent()) {
            return parsed.get();
        }
        return HostPort.tryParse(text).map(hp -> PeerAddress.tcp(hp.host(), hp.port()))
                .orElseThrow(() -> RpcException.invalidParams("node must be HOST:PORT, tcp://HOST:PORT or a 64-hex node id"));
    }

    private static CompletableFuture<JsonNode> done(JsonNode value) {
        return CompletableFuture.completedFuture(value);
    }
}
