package org.protoblock.node.sp;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last in every SP pipeline: a malformed or oversized message, or any I/O error, closes the
 * connection with a debug line. Expected client misbehaviour is not a stack trace.
 *
 * <p>Threads: stateless, shared.
 */
@ChannelHandler.Sharable
public final class SpErrorHandler extends ChannelInboundHandlerAdapter {
    public static final SpErrorHandler INSTANCE = new SpErrorHandler();
    private static final Logger log = LoggerFactory.getLogger(SpErrorHandler.class);

    private SpErrorHandler() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("SP connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
