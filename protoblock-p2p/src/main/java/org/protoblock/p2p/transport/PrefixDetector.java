package org.protoblock.p2p.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The first handler of a connection on a shared port ({@link PortSharing}): it watches the first
 * bytes for one protocol's fixed prefix. At the first byte that differs it calls {@link #other};
 * once {@code needed} bytes (the prefix and whatever the protocol wants to read with it) have come
 * with the prefix whole, it calls {@link #matched}. Either way it then leaves the pipeline, which
 * hands the bytes it holds to the handlers after it. A connection that decides nothing within
 * {@code timeout} is closed. {@code undecided} counts the connections still watched (the owner
 * raised it when adding the detector).
 *
 * <p>Threads: the connection's event loop.
 */
public abstract class PrefixDetector extends ByteToMessageDecoder {
    private final byte[] prefix;
    private final int needed;
    private final Duration timeout;
    private final AtomicInteger undecided;
    private ScheduledFuture<?> timer;

    protected PrefixDetector(byte[] prefix, int needed, Duration timeout, AtomicInteger undecided) {
        if (needed < prefix.length) {
            throw new IllegalArgumentException("needed < prefix length");
        }
        this.prefix = prefix.clone();
        this.needed = needed;
        this.timeout = timeout;
        this.undecided = undecided;
    }

    /** Another protocol: set it up after this handler (it leaves right after). */
    protected abstract void other(ChannelHandlerContext ctx);

    /** The prefix, whole, and {@code needed} bytes readable in {@code in}: take what is needed, set up the rest. */
    protected abstract void matched(ChannelHandlerContext ctx, ByteBuf in);

    /** Called when the connection is closed undecided after {@code timeout}. */
    protected void timedOut(ChannelHandlerContext ctx) {
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> {
            timedOut(ctx);
            ctx.close();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), prefix.length);
        for (int i = 0; i < n; i++) {
            if (in.getByte(in.readerIndex() + i) != prefix[i]) {
                other(ctx);
                leave(ctx);
                return;
            }
        }
        if (in.readableBytes() < needed) {
            return;
        }
        matched(ctx, in);
        if (!ctx.channel().isOpen()) {
            // Refused (e.g. an unknown circuit token): the rest of this read belongs to no one.
            // Left readable, it would be decoded again, as if it began another connection.
            in.skipBytes(in.readableBytes());
        } else if (!ctx.isRemoved()) {
            leave(ctx);
        }
    }

    /** Removing a decoder hands the bytes it still holds to the handlers after it. */
    private void leave(ChannelHandlerContext ctx) {
        timer.cancel(false);
        ctx.pipeline().remove(this);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        timer.cancel(false);
        undecided.decrementAndGet(); // decided, or closed undecided
    }
}
