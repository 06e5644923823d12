package org.protoblock.node.sp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * The PUB side of one connection: joins the {@link SpPublisher} once the transport's handshake is
 * done ({@link SpHandshakeHandler#COMPLETED}) and discards whatever the subscriber sends (an nng
 * SUB sends nothing: it filters on its side).
 *
 * <p>Threads: the channel's event loop.
 */
public final class SpPubHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final SpPublisher publisher;

    public SpPubHandler(SpPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == SpHandshakeHandler.COMPLETED) {
            publisher.subscribe(ctx.channel());
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
        // nothing to do: SUB sockets do not send, and anything else is dropped
    }
}
