package org.protoblock.node.sp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.protoblock.p2p.transport.PortSharing;
import org.protoblock.p2p.transport.PrefixDetector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's REP service on the P2P port (port unification). An accepted connection is an SP
 * client when its first 8 bytes are a REQ's SP header ({@code 00 53 50 00 00 30 00 00}); anything
 * else is a peer, handed to the P2P stack with every byte it sent. Rationale: a Noise initiator
 * opens with a 2-byte length and a random ephemeral key, so mistaking one for the full 8-byte
 * header has a chance of 2^-48 at worst; and the decision is taken at the first byte that differs,
 * so peers wait for nothing (they always speak first).
 *
 * <p>Bounds: a connection undecided after {@value #DETECT_SECONDS} s is closed; at most
 * {@value #MAX_UNDECIDED} undecided at a time (more go straight to P2P); at most
 * {@code maxConnections} SP connections at a time on this port (more are closed).
 *
 * <p>Threads: each connection's event loop.
 */
public final class SpPortSharing implements PortSharing {
    private static final Logger log = LoggerFactory.getLogger(SpPortSharing.class);
    public static final int DETECT_SECONDS = 10;
    /** Connections still undecided at a time; beyond, new ones go straight to P2P, whose own handshake limits apply. */
    public static final int MAX_UNDECIDED = 256;

    private static final byte[] REQ_HEADER = io.netty.buffer.ByteBufUtil.getBytes(SpHeader.encode(SpProtocol.REQ));

    private final SpEndpoint rep;
    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger undecided = new AtomicInteger();

    public SpPortSharing(SpEndpoint rep, int maxConnections) {
        if (rep.protocol() != SpProtocol.REP) {
            throw new IllegalArgumentException("the P2P port serves REP only");
        }
        this.rep = rep;
        this.maxConnections = maxConnections;
    }

    @Override
    public ChannelHandler inbound(ChannelInitializer<Channel> p2pInit) {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (undecided.incrementAndGet() > MAX_UNDECIDED) {
                    undecided.decrementAndGet();
                    ch.pipeline().addLast(p2pInit);
                    return;
                }
                ch.pipeline().addLast(new Detector(p2pInit));
            }
        };
    }

    /** Looks at the first bytes of one connection, then leaves the pipeline to P2P or SP. */
    private final class Detector extends PrefixDetector {
        private final ChannelInitializer<Channel> p2pInit;

        Detector(ChannelInitializer<Channel> p2pInit) {
            super(REQ_HEADER, SpHeader.SIZE, Duration.ofSeconds(DETECT_SECONDS), undecided);
            this.p2pInit = p2pInit;
        }

        @Override
        protected void other(ChannelHandlerContext ctx) {
            ctx.pipeline().addLast(p2pInit); // runs at once: the channel is active
        }

        @Override
        protected void matched(ChannelHandlerContext ctx, ByteBuf in) {
            Channel ch = ctx.channel();
            if (open.incrementAndGet() > maxConnections) {
                open.decrementAndGet();
                log.debug("P2P port: {} SP connections already, closing {}", maxConnections, ch.remoteAddress());
                in.skipBytes(in.readableBytes());
                ctx.close();
                return;
            }
            ch.closeFuture().addListener(f -> open.decrementAndGet());
            ch.config().setWriteBufferWaterMark(SpServer.WATER_MARK);
            rep.initStream(ctx.pipeline(), SpFraming.TCP); // the header handler reads the 8 bytes again
        }

        @Override
        protected void timedOut(ChannelHandlerContext ctx) {
            log.debug("P2P port: {} sent no protocol in {} s", ctx.channel().remoteAddress(), DETECT_SECONDS);
        }
    }
}
