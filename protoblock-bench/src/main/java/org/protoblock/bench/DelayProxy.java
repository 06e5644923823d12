package org.protoblock.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A TCP proxy on loopback that gives each connection a round-trip time: in each direction, bytes
 * are released {@code rtt / 2} after they arrived, in arrival order, and (with a bandwidth cap) no
 * faster than {@code bytesPerSecond} per direction (a serialization delay before the propagation
 * delay, like a link of that rate). Put between two nodes, their requests and answers see the RTT
 * a WAN would give them; TCP itself still runs over loopback (no loss, no slow start).
 *
 * <p>Memory: each direction holds at most {@value #HIGH_WATER} bytes in transit (delayed or queued
 * at the writer) before it stops reading from its source; it reads again below {@value #LOW_WATER}.
 * With a bandwidth cap the bytes in transit are also bounded by rate × delay.
 *
 * <p>Threads: one event loop ({@code bench-proxy}); both channels of a pair are on it, so each
 * direction's state is touched by that thread only.
 */
public final class DelayProxy implements AutoCloseable {
    private static final int HIGH_WATER = 16 * 1024 * 1024;
    private static final int LOW_WATER = 8 * 1024 * 1024;

    private final EventLoopGroup group;
    private final Channel server;
    private final long oneWayNanos;
    private final long bytesPerSecond;
    private final LongAdder forwarded = new LongAdder();

    private DelayProxy(EventLoopGroup group, InetSocketAddress target, Duration rtt, long bytesPerSecond)
            throws InterruptedException {
        this.group = group;
        this.oneWayNanos = rtt.toNanos() / 2;
        this.bytesPerSecond = bytesPerSecond;
        this.server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false) // until the target is connected
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel inbound) {
                        connect(inbound, target);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /**
     * A proxy to {@code target} on a loopback port of its own, with {@code rtt} added to every
     * connection; {@code bytesPerSecond} per direction, or 0 for no cap.
     */
    public static DelayProxy start(InetSocketAddress target, Duration rtt, long bytesPerSecond) throws InterruptedException {
        if (rtt.isNegative() || bytesPerSecond < 0) {
            throw new IllegalArgumentException("rtt " + rtt + ", rate " + bytesPerSecond);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bench-proxy", true),
                NioIoHandler.newFactory());
        return new DelayProxy(group, target, rtt, bytesPerSecond);
    }

    /** Where to connect instead of the target. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Bytes delivered so far, both directions. */
    public long bytesForwarded() {
        return forwarded.sum();
    }

    private void connect(Channel inbound, InetSocketAddress target) {
        Direction[] up = new Direction[1];
        new Bootstrap()
                .group(inbound.eventLoop()) // same thread as the inbound side: no locks
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel outbound) {
                        Direction down = new Direction(outbound, inbound);
                        up[0] = new Direction(inbound, outbound);
                        down.reverse = up[0];
                        up[0].reverse = down;
                        outbound.pipeline().addLast(down);
                    }
                })
                .connect(target)
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        inbound.close();
                        return;
                    }
                    inbound.pipeline().addLast(up[0]);
                    inbound.config().setAutoRead(true);
                    f.channel().config().setAutoRead(true);
                });
    }

    /**
     * One direction: what {@code source} reads goes to {@code sink}, delayed. Event loop only.
     */
    private final class Direction extends ChannelInboundHandlerAdapter {
        private final Channel source;
        private final Channel sink;
        /** The other direction of the pair (its sink is our source). */
        private Direction reverse;
        /** When the (rate-capped) line is free again: departures never overlap. */
        private long lineFreeAt;
        private long inTransit;

        Direction(Channel source, Channel sink) {
            this.source = source;
            this.sink = sink;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            int bytes = buf.readableBytes();
            long release = departure(bytes) + oneWayNanos;
            inTransit += bytes;
            updateReading();
            // Release times never decrease and Netty runs equal deadlines in submission order: order is kept.
            ctx.executor().schedule(() -> {
                inTransit -= bytes;
                forwarded.add(bytes);
                if (sink.isActive()) {
                    sink.writeAndFlush(buf);
                } else {
                    buf.release();
                }
                updateReading();
            }, release - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        /** When the last byte of {@code bytes} leaves: after the bytes before it, at the line rate. */
        private long departure(int bytes) {
            long now = System.nanoTime();
            long start = Math.max(now, lineFreeAt);
            long serialization = bytesPerSecond == 0 ? 0 : bytes * 1_000_000_000L / bytesPerSecond;
            lineFreeAt = start + serialization;
            return lineFreeAt;
        }

        private void updateReading() {
            if (inTransit >= HIGH_WATER || !sink.isWritable()) {
                source.config().setAutoRead(false);
            } else if (inTransit <= LOW_WATER) {
                source.config().setAutoRead(true);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            reverse.updateReading(); // our channel is the sink of the other direction
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            // a close travels like data: after everything sent before it
            long after = Math.max(0, Math.max(lineFreeAt, System.nanoTime()) + oneWayNanos - System.nanoTime());
            ctx.executor().schedule(() -> {
                sink.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }, after, TimeUnit.NANOSECONDS);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
