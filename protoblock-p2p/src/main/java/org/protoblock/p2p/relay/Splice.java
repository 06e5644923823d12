package org.protoblock.p2p.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One end of a spliced circuit at the relay: what this connection reads is written to the other
 * end, byte for byte. Backpressure: while the other end cannot take more, this end stops reading
 * (autoRead), and reading resumes when it drains. Budget: more than {@code bytesEachWay} read from
 * this end, or the circuit older than its duration, closes both ends; either end closing closes the
 * other. Bytes read before the other end arrived wait here (at most {@value #MAX_EARLY_BYTES}).
 *
 * <p>Threads: the connection's event loop; the other end is written to from here (Netty hops).
 */
final class Splice extends ChannelInboundHandlerAdapter {
    static final String NAME = "circuit-splice";
    /** A Noise message 1 is 34 bytes; a peer that sends more before the circuit exists is not a peer. */
    static final int MAX_EARLY_BYTES = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(Splice.class);

    /** Bytes relayed in both directions (of one circuit, or of all). */
    static final class Counter {
        private final AtomicLong bytes = new AtomicLong();

        long total() {
            return bytes.get();
        }
    }

    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    private int earlyBytes;
    private Channel other;
    private CircuitBudget budget;
    private Counter counter;
    private Counter all;
    private long read;

    /** Joins {@code a} and {@code b} (both with a {@link Splice} handler, not reading): starts relaying. */
    static void join(Channel a, Channel b, CircuitBudget budget, Counter counter, Counter all) {
        a.closeFuture().addListener(f -> b.close());
        b.closeFuture().addListener(f -> a.close());
        var lifetime = a.eventLoop().schedule(() -> {
            log.debug("Circuit {} <-> {}: duration budget {} spent", a.remoteAddress(), b.remoteAddress(), budget.duration());
            a.close();
        }, budget.duration().toMillis(), TimeUnit.MILLISECONDS);
        a.closeFuture().addListener(f -> lifetime.cancel(false));
        a.eventLoop().execute(() -> start(a, b, budget, counter, all));
        b.eventLoop().execute(() -> start(b, a, budget, counter, all));
    }

    private static void start(Channel self, Channel other, CircuitBudget budget, Counter counter, Counter all) {
        Splice s = self.pipeline().get(Splice.class);
        if (s == null) {
            self.close(); // closed meanwhile: the pipeline was torn down
            return;
        }
        s.other = other;
        s.budget = budget;
        s.counter = counter;
        s.all = all;
        while (!s.early.isEmpty()) {
            s.forward(self, s.early.poll());
        }
        s.earlyBytes = 0;
        self.config().setAutoRead(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (other != null) {
            forward(ctx.channel(), buf);
            return;
        }
        earlyBytes += buf.readableBytes();
        early.add(buf);
        if (earlyBytes > MAX_EARLY_BYTES) {
            log.debug("Circuit end {} sent {} bytes before the circuit existed", ctx.channel().remoteAddress(), earlyBytes);
            ctx.close();
        }
    }

    private void forward(Channel self, ByteBuf buf) {
        int n = buf.readableBytes();
        read += n;
        if (read > budget.bytesEachWay()) {
            buf.release();
            log.debug("Circuit end {}: byte budget {} spent", self.remoteAddress(), budget.bytesEachWay());
            self.close();
            return;
        }
        counter.bytes.addAndGet(n);
        all.bytes.addAndGet(n);
        other.writeAndFlush(buf);
        if (!other.isWritable()) {
            self.config().setAutoRead(false); // the other end's writability change turns it back on
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && other != null) {
            other.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (other != null) {
            other.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Circuit end {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        early.forEach(ByteBuf::release);
        early.clear();
    }
}
