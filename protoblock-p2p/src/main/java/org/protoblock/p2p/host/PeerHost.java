package org.protoblock.p2p.host;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.p2p.chain.LocalChainInfo;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.handshake.Service;
import org.protoblock.p2p.handshake.HelloValidator;
import org.protoblock.p2p.identity.IdentityKey;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.link.ConnectionType;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkAttributes;
import org.protoblock.p2p.link.LinkCloser;
import org.protoblock.p2p.noise.HandshakeCryptoExecutor;
import org.protoblock.p2p.noise.NoisePrologue;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.session.OutboundBudget;
import org.protoblock.p2p.session.PeerEvents;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.transport.Transport;
import org.protoblock.p2p.wire.EnvelopeEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's presence on the network: listens and dials over one {@link Transport}, runs the secure
 * handshake on every link and hands established {@link Session}s to the {@link PeerEvents}
 * listeners. The peer manager decides whom to dial and whom to drop; this class only enforces the
 * hard caps (sessions, handshakes in progress, in total and per remote host) and refuses, at
 * accept and before any crypto, inbound links from hosts the peer manager names ({@link #refuseInbound}).
 *
 * <p>Thread-safe. The transport is not owned: close it after the hosts that use it.
 */
public final class PeerHost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerHost.class);

    private final NodeKey nodeKey;
    private final LocalChainInfo chain;
    private final Transport transport;
    private final P2pConfig config;
    private final PeerEvents events;
    private final NoisePrologue prologue;
    private final HelloValidator helloValidator;
    private final EnvelopeEncoder envelopeEncoder;
    private final SessionTable table;
    /** Bytes queued for sending on all sessions together (see {@link OutboundBudget}). */
    private final OutboundBudget outboundBudget;
    private final HandshakeSlots handshakeSlots;
    private final PunchExpectations punchExpected = new PunchExpectations();
    /** The address group an inbound link counts against (see {@link HandshakeSlots}). */
    private final Function<PeerAddress, String> groupOf;
    private volatile Predicate<PeerAddress> refusedInbound = address -> false;
    private volatile Predicate<NodeId> refusedNodes = node -> false;
    private volatile DialBackListener dialBackListener = (from, nonce) -> { };
    private volatile AdvertisedAddresses advertised = AdvertisedAddresses.ALL;
    private volatile Supplier<Set<Service>> services;
    private final List<Transport.BoundListener> listeners = new CopyOnWriteArrayList<>();
    private final ChannelGroup channels = new DefaultChannelGroup("p2p-links", GlobalEventExecutor.INSTANCE);
    /** Responder-side Noise crypto of inbound links, off the I/O threads; made on the first accept. */
    private OwnedExecutor handshakeCrypto;
    private volatile boolean closed;

    /** A host whose inbound links are grouped by host alone (tests of bare hosts). */
    public PeerHost(NodeKey nodeKey, LocalChainInfo chain, Transport transport, P2pConfig config, PeerEvents events) {
        this(nodeKey, chain, transport, config, events, PeerHost::handshakeSlotKey);
    }

    /** {@code groupOf}: the address group of a remote address (the node passes discovery's AddressGroup). */
    public PeerHost(NodeKey nodeKey, LocalChainInfo chain, Transport transport, P2pConfig config, PeerEvents events,
                    Function<PeerAddress, String> groupOf) {
        this.nodeKey = Objects.requireNonNull(nodeKey, "nodeKey");
        this.chain = Objects.requireNonNull(chain, "chain");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.config = Objects.requireNonNull(config, "config");
        this.events = Objects.requireNonNull(events, "events");
        this.prologue = new NoisePrologue(config.protocolVersion().current(), chain.networkId());
        this.helloValidator = new HelloValidator(config.protocolVersion(), chain);
        this.envelopeEncoder = new EnvelopeEncoder(config.maxEnvelopeBytes());
        this.table = new SessionTable(nodeKey.nodeId(), config.maxSessions());
        this.handshakeSlots = new HandshakeSlots(config);
        this.outboundBudget = new OutboundBudget(config.maxOutboundQueueBytes(), table::all);
        this.groupOf = Objects.requireNonNull(groupOf, "groupOf");
        this.services = config::services;
    }

    /** What our Hellos offer from now on (default: the configured services); RELAY comes and goes with reachability. */
    public void offerServices(Supplier<Set<Service>> offered) {
        this.services = Objects.requireNonNull(offered, "offered");
    }

    public NodeId nodeId() {
        return nodeKey.nodeId();
    }

    /** Our chain's head as Hello announces it (thread-safe, cheap). */
    public ChainHead localHead() {
        return chain.head();
    }

    /** The identity key behind {@link #nodeId()}: signs the node's peer records. */
    public IdentityKey identityKey() {
        return nodeKey.identity();
    }

    public PeerEvents events() {
        return events;
    }

    public P2pConfig config() {
        return config;
    }

    public Transport transport() {
        return transport;
    }

    /** Starts accepting links at {@code local}; completes with the bound address (port 0 resolved). */
    public CompletableFuture<PeerAddress> listen(PeerAddress local) {
        checkOpen();
        LinkInitializer init = new LinkInitializer(this, Direction.INBOUND, Optional.empty(), Optional.empty());
        return transport.listen(local, init).thenApply(bound -> {
            listeners.add(bound);
            log.info("Node {} listening on {}", nodeId().shortForm(), bound.address());
            return bound.address();
        });
    }

    /** Dials {@code remote}; completes when the session is established. */
    public CompletableFuture<Session> dial(PeerAddress remote) {
        return dial(remote, Optional.empty());
    }

    /**
     * Dials {@code remote}, optionally insisting on its node id (the link fails with
     * UNEXPECTED_IDENTITY otherwise). Fails with {@link org.protoblock.p2p.link.LinkClosedException}
     * carrying the reason when refused, or with the transport's error when the connect fails.
     */
    public CompletableFuture<Session> dial(PeerAddress remote, Optional<NodeId> expected) {
        checkOpen();
        CompletableFuture<Session> result = new CompletableFuture<>();
        LinkInitializer init = new LinkInitializer(this, Direction.OUTBOUND, expected, Optional.of(result));
        transport.dial(remote, init, config.connectTimeout())
                .whenComplete((ch, err) -> {
                    if (err != null) {
                        result.completeExceptionally(err);
                    }
                });
        return result;
    }

    /**
     * Opens a link over a new connection to {@code remote} (a relay) whose first handler is
     * {@code first} (it writes the circuit preamble and leaves), then the ordinary stack in the Noise
     * role of {@code direction} (OUTBOUND: initiator, insisting on {@code expected}); the link is
     * marked {@code connection} (see {@link LinkAttributes#CONNECTION}). Completes when the session is up.
     */
    public CompletableFuture<Session> dialVia(PeerAddress remote, ChannelHandler first, ConnectionType connection,
                                              Direction direction, Optional<NodeId> expected) {
        checkOpen();
        CompletableFuture<Session> result = new CompletableFuture<>();
        LinkInitializer stack = new LinkInitializer(this, direction, expected, Optional.of(result));
        ChannelInitializer<Channel> init = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.attr(LinkAttributes.CONNECTION).set(connection);
                ch.pipeline().addLast(first, stack);
            }
        };
        failWith(transport.dial(remote, init, config.connectTimeout()), result);
        return result;
    }

    /**
     * A hole-punch dial: connects to {@code remote} from our listening port {@code localPort}
     * ({@link Transport#dialFrom}), so that with the peer dialing us at the same moment the
     * connection is a TCP simultaneous open. Both ends called connect, so the Noise role comes from
     * {@code direction} (the hole-punch protocol's choice), insisting on {@code expected}; the link
     * is marked {@link ConnectionType#HOLEPUNCHED}. Completes when the session is up.
     */
    public CompletableFuture<Session> dialFrom(int localPort, PeerAddress remote, Direction direction, NodeId expected,
                                               java.time.Duration connectTimeout) {
        checkOpen();
        CompletableFuture<Session> result = new CompletableFuture<>();
        LinkInitializer stack = new LinkInitializer(this, direction, Optional.of(expected), Optional.of(result));
        ChannelInitializer<Channel> init = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.attr(LinkAttributes.CONNECTION).set(ConnectionType.HOLEPUNCHED);
                ch.pipeline().addLast(stack);
            }
        };
        failWith(transport.dialFrom(localPort, remote, init, connectTimeout), result);
        return result;
    }

    /**
     * While a hole punch with {@code peer} runs: an inbound link from one of {@code from} (its SYN
     * reached our listener, not our dial) runs Noise in {@code role} insisting on {@code peer} and
     * is marked HOLEPUNCHED (see {@link PunchExpectations}). Close the registration when the punch ends.
     */
    public PunchExpectations.Registration expectPunch(NodeId peer, java.util.Collection<PeerAddress> from, Direction role) {
        return punchExpected.expect(peer, from, role);
    }

    Optional<PunchExpectations.Expected> punchExpectedFrom(PeerAddress remote) {
        return punchExpected.arrivedFrom(remote);
    }

    private static void failWith(CompletableFuture<Channel> connect, CompletableFuture<Session> result) {
        connect.whenComplete((ch, err) -> {
            if (err != null) {
                result.completeExceptionally(err);
            }
        });
    }

    public Collection<Session> sessions() {
        return table.all();
    }

    public Optional<Session> session(NodeId id) {
        return table.get(id);
    }

    public int sessionCount() {
        return table.size();
    }

    public int pendingHandshakes() {
        return handshakeSlots.pending();
    }

    /**
     * Inbound links from addresses matching {@code refused} (banned hosts) are closed at accept, before
     * Noise: no crypto, no Hello, no handshake slot. Called by the peer manager at assembly; the
     * predicate runs on event loops, so it must be cheap and thread-safe.
     */
    public void refuseInbound(Predicate<PeerAddress> refused) {
        this.refusedInbound = Objects.requireNonNull(refused, "refused");
    }

    /**
     * Links to nodes matching {@code refused} (banned node ids) end with MISBEHAVIOUR as soon as Noise
     * authenticates them, before our Hello: no session, no component hears of them or sends them anything.
     * Cheap and thread-safe, like {@link #refuseInbound}.
     */
    public void refuseNodes(Predicate<NodeId> refused) {
        this.refusedNodes = Objects.requireNonNull(refused, "refused");
    }

    /**
     * Opens a dial-back link to {@code address}: Noise insisting on {@code expected}, then the
     * {@code nonce} in a DialBack, then close (see {@link DialBackInitializer}). Completes when the
     * nonce was sent to the authenticated peer; fails on any dial, handshake or timeout failure.
     * Holds no session slot and raises no peer event.
     */
    public CompletableFuture<Void> dialBack(PeerAddress address, NodeId expected, long nonce, java.time.Duration timeout) {
        checkOpen();
        CompletableFuture<Void> result = new CompletableFuture<>();
        transport.dial(address, new DialBackInitializer(this, expected, nonce, timeout, result), config.connectTimeout())
                .whenComplete((ch, err) -> {
                    if (err != null) {
                        result.completeExceptionally(err);
                    } else {
                        channels.add(ch); // closed with the host
                    }
                });
        return result;
    }

    /** Where DialBacks that arrive on inbound links go (the reachability checker). */
    public void onDialBack(DialBackListener listener) {
        this.dialBackListener = Objects.requireNonNull(listener, "listener");
    }

    /** Which addresses each peer hears of in our Hello (default: all listen addresses). */
    public void advertiseWith(AdvertisedAddresses policy) {
        this.advertised = Objects.requireNonNull(policy, "policy");
    }

    /** Our addresses as {@code remote} should hear of them, by the policy of {@link #advertiseWith}. */
    public List<PeerAddress> advertisedTo(PeerAddress remote) {
        return advertised.forPeer(remote, listenAddresses());
    }

    /** The addresses our listeners are bound to (ports resolved), without the configured advertised ones. */
    public List<PeerAddress> boundAddresses() {
        return listeners.stream().map(Transport.BoundListener::address).toList();
    }

    /** Addresses we listen on plus the configured ones, as announced in Hello. */
    public List<PeerAddress> listenAddresses() {
        List<PeerAddress> all = new ArrayList<>(config.advertisedAddresses());
        listeners.forEach(l -> all.add(l.address()));
        return all;
    }

    /**
     * Says SHUTDOWN to every peer, stops listening and waits (bounded) for the links to close.
     * The transport stays open.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        listeners.forEach(l -> l.channel().close().awaitUninterruptibly(2, TimeUnit.SECONDS));
        listeners.clear();
        channels.forEach(ch -> LinkCloser.close(ch, DisconnectReason.SHUTDOWN, "node shutting down"));
        if (!channels.newCloseFuture().awaitUninterruptibly(3, TimeUnit.SECONDS)) {
            log.warn("Node {}: {} links still open after shutdown wait", nodeId().shortForm(), channels.size());
        }
        synchronized (this) {
            if (handshakeCrypto != null) {
                handshakeCrypto.close(java.time.Duration.ofSeconds(1));
            }
        }
    }

    // ---- for the pipeline (package-private) ----

    NodeKey nodeKey() {
        return nodeKey;
    }

    NoisePrologue prologue() {
        return prologue;
    }

    HelloValidator helloValidator() {
        return helloValidator;
    }

    EnvelopeEncoder envelopeEncoder() {
        return envelopeEncoder;
    }

    /** The node-wide outbound queue bound shared by this host's sessions. */
    public OutboundBudget outboundBudget() {
        return outboundBudget;
    }

    SessionTable table() {
        return table;
    }

    /**
     * Where inbound handshakes run their crypto: one thread of the host's own, at most
     * maxPendingHandshakes tasks waiting (a refused task drops its link), so handshake floods do not
     * stall the I/O threads that carry established sessions.
     */
    synchronized HandshakeCryptoExecutor inboundHandshakeCrypto() {
        if (closed) {
            return task -> false;
        }
        if (handshakeCrypto == null) {
            handshakeCrypto = new OwnedExecutor("p2p-noise-" + nodeId().shortForm(), config.maxPendingHandshakes());
        }
        return handshakeCrypto::execute;
    }

    /**
     * Which per-host handshake slot pool a remote address draws from: its IPv4 address, or its IPv6
     * /64 (one subscriber usually holds a whole /64, so single IPv6 addresses would cost an attacker
     * nothing); other schemes by host.
     */
    static String handshakeSlotKey(PeerAddress remote) {
        String host = remote.host();
        if (!PeerAddress.TCP.equals(remote.scheme()) || host.indexOf(':') < 0) {
            return host;
        }
        try {
            byte[] ip = InetAddress.getByName(host).getAddress(); // an IP literal: no lookup
            return ip.length == 16 ? HexFormat.of().formatHex(ip, 0, 8) + "::/64" : host;
        } catch (UnknownHostException e) {
            return host;
        }
    }

    void dialBackReceived(NodeId from, long nonce) {
        dialBackListener.dialBackReceived(from, nonce);
    }

    boolean refusesNode(NodeId remote) {
        return refusedNodes.test(remote);
    }

    boolean refusesInbound(PeerAddress remote) {
        return refusedInbound.test(remote);
    }

    /**
     * How the handshake slot rules count a link from {@code remote} (see {@link HandshakeSlots}).
     * The single-host test network (127.0/16, ::1) and in-process links are neither rate limited
     * nor grouped (each link its own group, as discovery's AddressGroup has it): every node of such
     * a network dials from one address. Tests play many hosts from 127.N/16.
     */
    HandshakeSlots.Inbound inboundSlot(PeerAddress remote) {
        boolean testLoopback = isTestLoopback(remote);
        return new HandshakeSlots.Inbound(handshakeSlotKey(remote),
                testLoopback ? remote.toString() : groupOf.apply(remote), !testLoopback);
    }

    private static boolean isTestLoopback(PeerAddress remote) {
        String host = remote.host();
        return !PeerAddress.TCP.equals(remote.scheme()) || host.startsWith("127.0.") || host.equals("::1")
                || host.equals("0:0:0:0:0:0:0:1");
    }

    /**
     * Takes a handshake slot; inbound links ({@code inbound} present) are refused by the rules of
     * {@link HandshakeSlots} (rate, total, per host, per group), so no host or few groups can hold
     * every slot.
     */
    boolean tryStartHandshake(Direction direction, Optional<HandshakeSlots.Inbound> inbound) {
        if (closed) {
            return false;
        }
        Optional<String> refused = handshakeSlots.tryStart(direction, inbound, System.nanoTime());
        refused.ifPresent(rule -> log.debug("Node {}: dropping an inbound link at accept: {}", nodeId().shortForm(), rule));
        return refused.isEmpty();
    }

    void track(Channel ch) {
        channels.add(ch);
    }

    void handshakeSettled(Optional<HandshakeSlots.Inbound> inbound) {
        handshakeSlots.settled(inbound);
    }

    void sessionClosed(Session session) {
        table.remove(session);
    }

    Hello localHello(ChannelHandlerContext ctx) {
        Optional<PeerAddress> seen = Optional.ofNullable(ctx.channel().remoteAddress()).map(transport::addressOf);
        List<PeerAddress> ours = seen.map(this::advertisedTo).orElseGet(this::listenAddresses);
        // Over a relayed link the socket's far end is the relay: never tell the peer that is where it is.
        Optional<PeerAddress> observed = ctx.channel().attr(LinkAttributes.CONNECTION).get() == ConnectionType.RELAYED
                ? Optional.empty() : seen;
        return new Hello(config.protocolVersion().current(), chain.networkId(), chain.genesisId(), config.agent(),
                ours, observed, chain.head(), services.get(), Instant.now());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("peer host closed");
        }
    }
}
