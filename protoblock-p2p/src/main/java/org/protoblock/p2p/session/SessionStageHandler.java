package org.protoblock.p2p.session;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;

/**
 * Base of the session stage's handlers: passes everything through (as {@link ChannelDuplexHandler})
 * and calls {@link #linkEnded} exactly once, when the link goes inactive or, failing that, when the
 * handler leaves the pipeline; so a timer or a pending future cannot outlive its link.
 *
 * <p>Threads: called on the channel's event loop only.
 */
abstract class SessionStageHandler extends ChannelDuplexHandler {
    private boolean ended;

    /** Releases what the handler holds for the link; runs once, on the event loop. */
    abstract void linkEnded(ChannelHandlerContext ctx);

    final boolean ended() {
        return ended;
    }

    @Override
    public final void channelInactive(ChannelHandlerContext ctx) {
        end(ctx);
        ctx.fireChannelInactive();
    }

    @Override
    public final void handlerRemoved(ChannelHandlerContext ctx) {
        end(ctx);
    }

    private void end(ChannelHandlerContext ctx) {
        if (!ended) {
            ended = true;
            linkEnded(ctx);
        }
    }
}
