package org.protoblock.p2p.link;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of every link: no exception or idle event passes it. Peer misbehaviour
 * ({@link LinkException}) becomes a close with its reason and one log line; I/O errors are a
 * hang-up; anything else is our bug, logged with its stack trace, and the link is closed.
 * Stateless and sharable.
 */
@ChannelHandler.Sharable
public final class LinkGuard extends ChannelInboundHandlerAdapter {
    public static final LinkGuard INSTANCE = new LinkGuard();
    private static final Logger log = LoggerFactory.getLogger(LinkGuard.class);

    private LinkGuard() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof LinkException link) {
            LinkCloser.close(ctx.channel(), link.reason(), link.detail());
        } else if (root instanceof IOException) {
            log.debug("Link {} I/O error: {}", LinkCloser.describe(ctx.channel()), root.toString());
            LinkCloser.recordHangUp(ctx.channel());
            ctx.close();
        } else if (root instanceof DecoderException) {
            LinkCloser.close(ctx.channel(), DisconnectReason.PROTOCOL_ERROR, root.getMessage());
        } else {
            log.warn("Link {} failed on an unexpected error", LinkCloser.describe(ctx.channel()), cause);
            LinkCloser.close(ctx.channel(), DisconnectReason.PROTOCOL_ERROR, "internal error");
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            // While we paused reading ourselves (backpressure) silence is ours, not the peer's.
            if (ctx.channel().config().isAutoRead()) {
                LinkCloser.close(ctx.channel(), DisconnectReason.IDLE_TIMEOUT, "no bytes read");
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Nothing past the session handles messages; drop and release anything that got here.
        io.netty.util.ReferenceCountUtil.release(msg);
    }
}
