package org.protoblock.p2p.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkCloser;

/**
 * One job: decide whether the session takes input from the peer. It takes none while the peer does
 * not read our output, and none once the link is closing.
 *
 * <p>Backpressure: when the channel turns unwritable (above the write-buffer high water mark) we stop
 * reading, since what the peer asks would only add answers we cannot send; if it stays unwritable for
 * {@code slowReaderTimeout} the peer is closed as SLOW_READER. Above the transport, {@link Session}
 * bounds the bytes accepted for sending ({@link SessionLimits#maxOutboundQueueBytes()}) and refuses
 * at once what does not fit, so nothing queues without bound in between.
 *
 * <p>Threads: all state is owned by the channel's event loop.
 */
public final class BackpressureHandler extends SessionStageHandler {
    public static final String NAME = "backpressure";

    private final Duration slowReaderTimeout;
    private Future<?> slowReaderTimer;

    BackpressureHandler(Duration slowReaderTimeout) {
        this.slowReaderTimeout = slowReaderTimeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) {
            update(ctx);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (LinkCloser.isClosing(ctx.channel())) {
            ReferenceCountUtil.release(msg); // leaving: input already decoded no longer matters
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        update(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    private void update(ChannelHandlerContext ctx) {
        Channel channel = ctx.channel();
        if (LinkCloser.isClosing(channel)) {
            return; // the closer stopped reading for good
        }
        if (!channel.isWritable()) {
            channel.config().setAutoRead(false);
            if (slowReaderTimer == null) {
                slowReaderTimer = ctx.executor().schedule(() -> {
                    if (!channel.isWritable()) {
                        LinkCloser.close(channel, DisconnectReason.SLOW_READER,
                                "unwritable for " + slowReaderTimeout.toMillis() + " ms");
                    }
                }, slowReaderTimeout.toNanos(), TimeUnit.NANOSECONDS);
            }
        } else {
            cancelTimer();
            channel.config().setAutoRead(true);
        }
    }

    @Override
    void linkEnded(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    private void cancelTimer() {
        if (slowReaderTimer != null) {
            slowReaderTimer.cancel(false);
            slowReaderTimer = null;
        }
    }
}
