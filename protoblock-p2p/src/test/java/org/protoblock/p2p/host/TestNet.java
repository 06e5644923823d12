package org.protoblock.p2p.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.p2p.chain.StaticChainInfo;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.session.PeerEvents;
import org.protoblock.p2p.transport.InProcessTransport;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.transport.TcpTransport;
import org.protoblock.p2p.transport.Transport;
import org.protoblock.p2p.wire.proto.Envelope;

/** Nodes on one transport for a test; closes them all, then the transport. */
public final class TestNet implements AutoCloseable {
    public static final String NETWORK = "devnet";
    public static final BlockId GENESIS = BlockId.fromHex("ab".repeat(32));
    private static final AtomicInteger LOCAL_NAMES = new AtomicInteger();

    public enum Kind { TCP, IN_PROCESS }

    private final Kind kind;
    private final Transport transport;
    private final List<PeerHost> hosts = new ArrayList<>();

    public TestNet(Kind kind) {
        this(kind, 2);
    }

    public TestNet(Kind kind, int threads) {
        this.kind = kind;
        this.transport = kind == Kind.TCP ? TcpTransport.create(threads) : new InProcessTransport(threads);
    }

    public Transport transport() {
        return transport;
    }

    /** Short timeouts so failure paths finish quickly in tests. */
    public static P2pConfig.Builder fastConfig() {
        return P2pConfig.builder()
                .handshakeTimeout(Duration.ofSeconds(5))
                .idleTimeout(Duration.ofSeconds(20));
    }

    public static StaticChainInfo chain() {
        return new StaticChainInfo(NETWORK, GENESIS, new ChainHead(BlockId.fromHex("cd".repeat(32)), 42));
    }

    public Node node() {
        return node(fastConfig().build(), chain());
    }

    public Node node(P2pConfig config, StaticChainInfo chain) {
        return node(config, chain, NodeKey.generate());
    }

    public synchronized Node node(P2pConfig config, StaticChainInfo chain, NodeKey key) {
        RecordingListener listener = new RecordingListener();
        PeerEvents events = new PeerEvents();
        events.register(listener, java.util.EnumSet.of(Envelope.BodyCase.TXS, Envelope.BodyCase.GET_TXS));
        PeerHost host = new PeerHost(key, chain, transport, config, events);
        hosts.add(host);
        return new Node(host, listener, chain);
    }

    public PeerAddress anyAddress() {
        return kind == Kind.TCP ? PeerAddress.tcp("127.0.0.1", 0) : PeerAddress.local("test-node-" + LOCAL_NAMES.incrementAndGet());
    }

    /** A host, its recorded events, and its chain view. */
    public record Node(PeerHost host, RecordingListener events, StaticChainInfo chain) {
    }

    /** Listens on a fresh address and returns the bound one. */
    public PeerAddress listen(Node node) throws Exception {
        return node.host().listen(anyAddress()).get(10, TimeUnit.SECONDS);
    }

    @Override
    public synchronized void close() {
        hosts.forEach(PeerHost::close);
        transport.close();
    }
}
