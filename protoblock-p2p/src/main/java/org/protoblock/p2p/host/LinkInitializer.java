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
import org.protoblock.p2p.link.LinkGuard;
import org.protoblock.p2p.noise.NoiseFraming;
import org.protoblock.p2p.noise.NoiseHandshakeHandler;
import org.protoblock.p2p.handshake.HelloHandler;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.wire.EnvelopeDecoder;
import org.protoblock.p2p.wire.EnvelopeEncoder;

/**
 * Puts the secure stack on a fresh channel of any transport. Reading top to bottom (inbound):
 * <pre>
 *   flush consolidation   batches flushes of small writes (when the transport allows it)
 *   idle                  READER_IDLE after idleTimeout without a byte
 *   noise frames          2-byte length prefix, at most 65535 bytes
 *   noise                 handshake, then transport encryption
 *   envelope codec        4-byte length + protobuf Envelope, bounded by maxEnvelopeBytes
 *   hello                 Hello exchange and handshake timeout, then replaced by the session stage
 *   guard                 turns exceptions and idleness into a close with a reason
 * </pre>
 */
final class LinkInitializer extends ChannelInitializer<Channel> {
    static final String FLUSH = "flush";
    static final String IDLE = "idle";
    static final String GUARD = "guard";

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
        if (!host.tryStartHandshake(direction)) {
            ch.close(); // flood of unfinished handshakes: shed before spending any crypto on it
            return;
        }
        LinkOutcome outcome = new LinkOutcome(host, direction, dialResult);
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
                direction == Direction.OUTBOUND, expectedRemote));
        p.addLast(EnvelopeDecoder.NAME, new EnvelopeDecoder(config.maxEnvelopeBytes()));
        p.addLast(EnvelopeEncoder.NAME, host.envelopeEncoder());
        p.addLast(HelloHandler.NAME, new HelloHandler(host.helloValidator(), host::localHello,
                config.handshakeTimeout(), outcome));
        p.addLast(GUARD, LinkGuard.INSTANCE);
    }
}
