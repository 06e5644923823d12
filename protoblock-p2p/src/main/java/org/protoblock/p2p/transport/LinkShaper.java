package org.protoblock.p2p.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.protoblock.p2p.transport.LinkModel.LinkMeter;

/**
 * The simulated link under an in-process channel, first handler of the dialer's pipeline: every
 * flushed write and every read is held until its arrival time by the direction's
 * {@link TransmissionSchedule} (latency + size / bandwidth, in order), then written or fired on.
 * One handler on the dialer's side models both directions, so the listener needs no setup.
 *
 * <ul>
 *   <li>Backpressure: bytes held for sending count like a socket's send buffer; above the
 *       channel's high water mark the channel turns unwritable (user writability bit 1), below
 *       the low mark writable again, so the session stage sees a slow link as it would over TCP.</li>
 *   <li>Bounded: more than {@code maxHeldBytes} waiting to be read (an in-process link has no
 *       flow control of its own) closes the link with an exception.</li>
 *   <li>End: when the other side closes, what it sent and we still hold is delivered at once
 *       before the close (the pipeline is torn down right after, so it cannot wait); a close of
 *       ours waits until our held writes went out.</li>
 * </ul>
 *
 * <p>Threads: all state belongs to the channel's event loop (Netty calls every method there; the
 * drain timers are scheduled on it).
 */
final class LinkShaper extends ChannelDuplexHandler {
    static final String NAME = "link-shaper";
    private static final int WRITABILITY_BIT = 1;

    private record Held(Object msg, ChannelPromise promise, long dueNanos, int bytes) {
    }

    private final TransmissionSchedule outSchedule;
    private final TransmissionSchedule inSchedule;
    private final LinkMeter meter;
    private final long maxHeldBytes;
    private final ArrayDeque<Held> unflushed = new ArrayDeque<>();
    private final ArrayDeque<Held> outbound = new ArrayDeque<>();
    private final ArrayDeque<Held> inbound = new ArrayDeque<>();
    private long heldOutBytes;
    private long heldInBytes;
    private boolean outDrainScheduled;
    private boolean inDrainScheduled;
    private ChannelPromise pendingClose;
    private boolean removed;

    LinkShaper(LinkProfile profile, LinkMeter meter, long maxHeldBytes) {
        this.outSchedule = new TransmissionSchedule(profile);
        this.inSchedule = new TransmissionSchedule(profile);
        this.meter = meter;
        this.maxHeldBytes = maxHeldBytes;
    }

    // ---- outbound

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        int bytes = sizeOf(msg);
        unflushed.add(new Held(msg, promise, 0, bytes));
        heldOutBytes += bytes;
        updateWritability(ctx);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        long now = System.nanoTime();
        for (Held h : unflushed) {
            outbound.add(new Held(h.msg(), h.promise(), outSchedule.arrival(now, h.bytes()), h.bytes()));
        }
        unflushed.clear();
        scheduleOutDrain(ctx);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (!unflushed.isEmpty()) {
            flush(ctx);
        }
        if (outbound.isEmpty()) {
            ctx.close(promise);
        } else if (pendingClose == null) {
            pendingClose = promise;
        } else {
            pendingClose.addListener(f -> promise.trySuccess());
        }
    }

    private void scheduleOutDrain(ChannelHandlerContext ctx) {
        if (outDrainScheduled || outbound.isEmpty()) {
            return;
        }
        outDrainScheduled = true;
        long delay = outbound.peek().dueNanos() - System.nanoTime();
        ctx.executor().schedule(() -> drainOut(ctx), Math.max(0, delay), TimeUnit.NANOSECONDS);
    }

    private void drainOut(ChannelHandlerContext ctx) {
        outDrainScheduled = false;
        if (removed) {
            return;
        }
        long now = System.nanoTime();
        boolean wrote = false;
        while (!outbound.isEmpty() && outbound.peek().dueNanos() <= now) {
            Held h = outbound.poll();
            heldOutBytes -= h.bytes();
            meter.sent(h.bytes());
            ctx.write(h.msg(), h.promise());
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
            updateWritability(ctx);
        }
        if (!outbound.isEmpty()) {
            scheduleOutDrain(ctx);
        } else if (pendingClose != null && unflushed.isEmpty()) {
            ChannelPromise close = pendingClose;
            pendingClose = null;
            ctx.close(close);
        }
    }

    private void updateWritability(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        if (buffer == null) {
            return; // closed
        }
        if (heldOutBytes > ctx.channel().config().getWriteBufferHighWaterMark()) {
            buffer.setUserDefinedWritability(WRITABILITY_BIT, false);
        } else if (heldOutBytes < ctx.channel().config().getWriteBufferLowWaterMark()) {
            buffer.setUserDefinedWritability(WRITABILITY_BIT, true);
        }
    }

    // ---- inbound

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        int bytes = sizeOf(msg);
        inbound.add(new Held(msg, null, inSchedule.arrival(System.nanoTime(), bytes), bytes));
        heldInBytes += bytes;
        if (heldInBytes > maxHeldBytes) {
            ctx.fireExceptionCaught(new IOException("simulated link: more than " + maxHeldBytes + " bytes waiting to be read"));
            ctx.close();
            return;
        }
        scheduleInDrain(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // fired after each drain instead
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        deliverIn(ctx, Long.MAX_VALUE);
        super.channelInactive(ctx);
    }

    private void scheduleInDrain(ChannelHandlerContext ctx) {
        if (inDrainScheduled || inbound.isEmpty()) {
            return;
        }
        inDrainScheduled = true;
        long delay = inbound.peek().dueNanos() - System.nanoTime();
        ctx.executor().schedule(() -> drainIn(ctx), Math.max(0, delay), TimeUnit.NANOSECONDS);
    }

    private void drainIn(ChannelHandlerContext ctx) {
        inDrainScheduled = false;
        if (removed) {
            return;
        }
        deliverIn(ctx, System.nanoTime());
        scheduleInDrain(ctx);
    }

    private void deliverIn(ChannelHandlerContext ctx, long now) {
        boolean read = false;
        while (!inbound.isEmpty() && inbound.peek().dueNanos() <= now) {
            Held h = inbound.poll();
            heldInBytes -= h.bytes();
            meter.received(h.bytes());
            ctx.fireChannelRead(h.msg());
            read = true;
        }
        if (read) {
            ctx.fireChannelReadComplete();
        }
    }

    // ---- end

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        removed = true;
        ClosedChannelException closed = new ClosedChannelException();
        for (ArrayDeque<Held> queue : java.util.List.of(unflushed, outbound, inbound)) {
            for (Held h : queue) {
                ReferenceCountUtil.release(h.msg());
                if (h.promise() != null) {
                    h.promise().tryFailure(closed);
                }
            }
            queue.clear();
        }
        if (pendingClose != null) {
            pendingClose.trySuccess();
        }
    }

    private static int sizeOf(Object msg) {
        return msg instanceof ByteBuf buf ? buf.readableBytes() : 0;
    }
}
