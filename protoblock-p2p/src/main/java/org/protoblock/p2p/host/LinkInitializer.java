package org.protoblock.p2p.host;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.ConnectionType;
import org.protoblock.p2p.link.LinkAttributes;
import org.protoblock.p2p.link.LinkGuard;
import org.protoblock.p2p.noise.HandshakeCryptoExecutor;
import org.protoblock.p2p.noise.NoiseFraming;
import org.protoblock.p2p.noise.NoiseHandshakeHandler;
import org.protoblock.p2p.handshake.HelloHandler;
import org.protoblock.p2p.session.BackpressureHandler;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.session.PeerRequestGate;
import org.protoblock.p2p.session.PingHandler;
import org.protoblock.p2p.session.ProtocolRouter;
import org.protoblock.p2p.session.RequestMatcher;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.session.SessionStage;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.EnvelopeDecoder;
import org.protoblock.p2p.wire.EnvelopeEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the secure stack on a fresh channel of any transport. Reading top to bottom (inbound; each
 * handler has one job, and all of a link's handlers run on its event loop):
 * <pre>
 *   flush consolidation   batches flushes of small writes (when the transport allows it)
 *   idle                  READER_IDLE after idleTimeout without a byte
 *   noise frames          2-byte length prefix, at most 65535 bytes
 *   noise                 handshake (inbound: crypto on the host's handshake thread), then encryption
 *   envelope codec        4-byte length + protobuf Envelope: 16 KiB until Hello, then maxEnvelopeBytes;
 *                         each envelope whole within envelopeTimeout of its first byte
 *   hello                 Hello exchange and handshake timeout, then replaced by the session stage:
 *     backpressure        no reading while the peer does not read us; slow readers dropped
 *     peer-requests       the peer's requests: in-flight cap, each answered once
 *     requests            our requests: ids, timeouts, in-flight cap, responses to their futures
 *     ping                keepalive and latency; answers the peer's pings
 *     router              connected / message / disconnected to the protocol components
 *   guard                 turns exceptions and idleness into a close with a reason
 * </pre>
 */
final class LinkInitializer extends ChannelInitializer<Channel> {
    static final String FLUSH = "flush";
    static final String IDLE = "idle";
    static final String GUARD = "guard";
    private static final Logger log = LoggerFactory.getLogger(LinkInitializer.class);

    private final PeerHost host;
    private final Direction direction;
    private final Optional<NodeId> expectedRemote;
    private final Optional<CompletableFuture<Session>> dialResult;

    /** One per dial, or one per listener (shared by its accepted channels, each getting its own state). */
    LinkInitializer(PeerHost host, Direction direction, Optional<NodeId> expectedRemote,
                    Optional<CompletableFuture<Session>> dialResult) {
        this.host = host;
        this.direction = direction;
        this.expectedRemote = expectedRemote;
        this.dialResult = dialResult;
    }

    @Override
    protected void initChannel(Channel ch) {
        Optional<PeerAddress> remote = direction == Direction.INBOUND
                ? Optional.ofNullable(ch.remoteAddress()).map(host.transport()::addressOf)
                : Optional.empty();
        if (remote.isPresent() && host.refusesInbound(remote.get())) {
            log.debug("Refusing inbound link from banned {}", remote.get());
            ch.close(); // before Noise: a banned host costs us no crypto and learns nothing
            return;
        }
        Optional<HandshakeSlots.Inbound> slotHost = remote.map(host::inboundSlot);
        if (!host.tryStartHandshake(direction, slotHost)) {
            ch.close(); // flood of unfinished handshakes: shed before spending any crypto on it
            return;
        }
        // A hole-punch peer's SYN that reached our listener: the punch decides our Noise role.
        Optional<PunchExpectations.Expected> punch = remote.flatMap(host::punchExpectedFrom);
        punch.ifPresent(p -> ch.attr(LinkAttributes.CONNECTION).set(ConnectionType.HOLEPUNCHED));
        Direction role = punch.map(PunchExpectations.Expected::role).orElse(direction);
        Optional<NodeId> expected = punch.map(PunchExpectations.Expected::peer).or(() -> expectedRemote);
        LinkOutcome outcome = new LinkOutcome(host, role, dialResult, slotHost);
        ch.closeFuture().addListener(f -> outcome.channelClosed(ch));
        host.track(ch);
        P2pConfig config = host.config();
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(config.writeBufferLow(), config.writeBufferHigh()));
        ChannelPipeline p = ch.pipeline();
        if (host.transport().consolidatesFlushes()) {
            p.addLast(FLUSH, new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        }
        p.addLast(IDLE, new IdleStateHandler(config.idleTimeout().toNanos(), 0, 0, TimeUnit.NANOSECONDS));
        NoiseFraming.addTo(p, new NoiseHandshakeHandler(host.nodeKey(), host.prologue(),
                role == Direction.OUTBOUND, expected,
                role == Direction.INBOUND ? host.inboundHandshakeCrypto() : HandshakeCryptoExecutor.INLINE));
        p.addLast(EnvelopeDecoder.NAME, new EnvelopeDecoder(config.maxEnvelopeBytes(), config.envelopeTimeout()));
        p.addLast(EnvelopeEncoder.NAME, host.envelopeEncoder());
        p.addLast(HelloHandler.NAME, new HelloHandler(host.helloValidator(), host::localHello,
                config.handshakeTimeout(), outcome));
        p.addLast(GUARD, LinkGuard.INSTANCE);
    }

    /**
     * Adds the session stage after {@code after} (the Hello handler, which then leaves), bottom to
     * top; the router goes last because adding it tells the components the session is up.
     */
    static void addSessionStage(ChannelPipeline p, String after, SessionStage stage) {
        p.addAfter(after, BackpressureHandler.NAME, stage.backpressure());
        p.addAfter(BackpressureHandler.NAME, PeerRequestGate.NAME, stage.peerRequests());
        p.addAfter(PeerRequestGate.NAME, RequestMatcher.NAME, stage.requests());
        p.addAfter(RequestMatcher.NAME, PingHandler.NAME, stage.ping());
        p.addAfter(PingHandler.NAME, ProtocolRouter.NAME, stage.router());
    }
}
