package org.protoblock.p2p.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Links inside one JVM over Netty's local channels: tests and the network simulator. Addresses are
 * {@code local://name}; names are global to the JVM.
 */
public final class InProcessTransport implements Transport {
    private final EventLoopGroup group;

    public InProcessTransport(int threads) {
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("p2p-local", true),
                LocalIoHandler.newFactory());
    }

    @Override
    public String scheme() {
        return PeerAddress.LOCAL;
    }

    @Override
    public CompletableFuture<BoundListener> listen(PeerAddress local, ChannelInitializer<Channel> init) {
        checkScheme(local);
        ServerBootstrap b = new ServerBootstrap().group(group).channel(LocalServerChannel.class).childHandler(init);
        return NettyFutures.toCompletable(b.bind(new LocalAddress(local.host())))
                .thenApply(ch -> new BoundListener(addressOf(ch.localAddress()), ch));
    }

    @Override
    public CompletableFuture<Channel> dial(PeerAddress remote, ChannelInitializer<Channel> init, Duration connectTimeout) {
        checkScheme(remote);
        Bootstrap b = new Bootstrap().group(group).channel(LocalChannel.class).handler(init);
        return NettyFutures.toCompletable(b.connect(new LocalAddress(remote.host())));
    }

    /**
     * No: a LocalChannel flush runs the peer's read synchronously on the same event loop, which
     * can re-enter our own read while our flush is running; a flush the consolidator deferred to
     * that nested read's end is then swallowed by Netty's in-flush guard and nothing flushes again
     * (inferred, not traced). Links stalled between Noise and Hello until HANDSHAKE_TIMEOUT: about
     * 240 of them among 30 in-process nodes with consolidation, none without.
     */
    @Override
    public boolean consolidatesFlushes() {
        return false;
    }

    @Override
    public PeerAddress addressOf(SocketAddress socketAddress) {
        return PeerAddress.local(((LocalAddress) socketAddress).id());
    }

    private void checkScheme(PeerAddress address) {
        if (!PeerAddress.LOCAL.equals(address.scheme())) {
            throw new IllegalArgumentException("in-process transport cannot use " + address);
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
