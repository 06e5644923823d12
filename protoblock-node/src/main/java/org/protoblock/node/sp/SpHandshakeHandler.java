package org.protoblock.node.sp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SP header exchange of a stream connection: sends ours as soon as the channel is active,
 * reads the peer's 8 bytes, closes the connection unless the peer speaks the protocol ours serves
 * (REQ for REP, SUB for PUB) or when no header arrives within {@value #TIMEOUT_SECONDS} s. Then it
 * fires {@link #COMPLETED} and leaves the pipeline; bytes that came after the header go on to the
 * frame decoder.
 *
 * <p>Threads: the channel's event loop.
 */
public final class SpHandshakeHandler extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(SpHandshakeHandler.class);
    public static final int TIMEOUT_SECONDS = 10;
    /** User event fired once the peer's header is accepted. */
    public static final Object COMPLETED = "SP_HANDSHAKE_COMPLETED";

    private final SpProtocol ours;
    private boolean sent;
    private ScheduledFuture<?> timeout;

    public SpHandshakeHandler(SpProtocol ours) {
        this.ours = ours;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx); // added after activation, e.g. by port unification
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
        if (sent) {
            return;
        }
        sent = true;
        ctx.writeAndFlush(SpHeader.encode(ours));
        timeout = ctx.executor().schedule(() -> {
            log.debug("SP {}: no header from {} in {} s", ours, ctx.channel().remoteAddress(), TIMEOUT_SECONDS);
            ctx.close();
        }, TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < SpHeader.SIZE) {
            return;
        }
        Optional<Integer> theirs = SpHeader.decode(in);
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (theirs.isEmpty() || theirs.get() != ours.peer().id()) {
            log.debug("SP {}: {} sent header for protocol {}, closing", ours, ctx.channel().remoteAddress(),
                    theirs.map(id -> String.format("0x%x", id)).orElse("(not SP)"));
            in.skipBytes(in.readableBytes());
            ctx.close();
            return;
        }
        ctx.pipeline().remove(this); // hands any bytes read past the header to the next handler
        ctx.fireUserEventTriggered(COMPLETED);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
