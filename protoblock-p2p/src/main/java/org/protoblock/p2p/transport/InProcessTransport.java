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
import java.net.ConnectException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Links inside one JVM over Netty's local channels: tests and the network simulator. Addresses are
 * {@code local://name}; names are global to the JVM.
 *
 * <p>Links are instantaneous unless a node dials through a view made by {@link #shapedFor}: then a
 * {@link LinkShaper} gives each of its links the latency and bandwidth of the {@link LinkModel}
 * (the network simulator in protoblock-bench).
 */
public final class InProcessTransport implements Transport {
    /** Bytes a shaped link holds waiting to be read before it fails (in-process links have no flow control). */
    private static final long MAX_HELD_BYTES = 64L << 20;

    private final EventLoopGroup group;
    /** False for a {@link #shapedFor} view: the transport it was made from closes the event loops. */
    private final boolean ownsGroup;
    private final Optional<Shaping> shaping;

    /** The dialing node's name and the network it dials through. */
    private record Shaping(String localName, LinkModel model) {
    }

    public InProcessTransport(int threads) {
        this(new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("p2p-local", true),
                LocalIoHandler.newFactory()), true, Optional.empty());
    }

    private InProcessTransport(EventLoopGroup group, boolean ownsGroup, Optional<Shaping> shaping) {
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.shaping = shaping;
    }

    /**
     * A view of this transport for the node named {@code localName}, on the same event loops: its
     * dials go through {@code model} (refused when the model says unreachable, shaped otherwise).
     * Closing the view leaves the event loops to this transport.
     */
    public InProcessTransport shapedFor(String localName, LinkModel model) {
        return new InProcessTransport(group, false, Optional.of(new Shaping(localName, model)));
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
        ChannelInitializer<Channel> handler = init;
        if (shaping.isPresent()) {
            Shaping s = shaping.get();
            Optional<LinkProfile> profile = s.model().profile(s.localName(), remote.host());
            if (profile.isEmpty()) {
                return CompletableFuture.failedFuture(new ConnectException("simulated network: no route to " + remote));
            }
            LinkModel.LinkMeter meter = s.model().meter(s.localName(), remote.host());
            handler = new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(LinkShaper.NAME, new LinkShaper(profile.get(), meter, MAX_HELD_BYTES));
                    ch.pipeline().addLast(init);
                }
            };
        }
        Bootstrap b = new Bootstrap().group(group).channel(LocalChannel.class).handler(handler);
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
        if (!ownsGroup) {
            return;
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
