package org.protoblock.p2p.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP links on Netty: epoll where the native transport loads, NIO otherwise.
 *
 * <p>Listening sockets set SO_REUSEPORT (where the platform has it) so that hole-punch dials
 * ({@link #dialFrom}) can bind the listening port too: TCP simultaneous open needs both ends to
 * connect from the port the other's NAT has seen. So that two nodes of one user still cannot share
 * a port by accident, a listen first binds the address without SO_REUSEPORT for a moment and fails
 * as any bind would when something listens there.
 */
public final class TcpTransport implements Transport {
    public static final int DEFAULT_PORT = 8125;
    private static final Logger log = LoggerFactory.getLogger(TcpTransport.class);
    private static final int BACKLOG = 1024;
    private static final boolean NIO_REUSE_PORT = nioReusePort();

    private final EventLoopGroup acceptGroup;
    private final EventLoopGroup ioGroup;
    private final Class<? extends ServerChannel> serverChannelType;
    private final Class<? extends Channel> channelType;
    private final PortSharing portSharing;

    private TcpTransport(int ioThreads, boolean useEpoll, PortSharing portSharing) {
        this.portSharing = portSharing;
        IoHandlerFactory factory = useEpoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.acceptGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("p2p-accept", true), factory);
        this.ioGroup = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("p2p-io", true), factory);
        this.serverChannelType = useEpoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.channelType = useEpoll ? EpollSocketChannel.class : NioSocketChannel.class;
        log.debug("TCP transport on {} with {} I/O threads", useEpoll ? "epoll" : "NIO", ioThreads);
    }

    /** {@code ioThreads} event loops for links; epoll when available. */
    public static TcpTransport create(int ioThreads) {
        return new TcpTransport(ioThreads, Epoll.isAvailable(), PortSharing.NONE);
    }

    /** As {@link #create(int)}, with another protocol served on the listening ports (see {@link PortSharing}). */
    public static TcpTransport create(int ioThreads, PortSharing portSharing) {
        return new TcpTransport(ioThreads, Epoll.isAvailable(), portSharing);
    }

    /** Forces NIO (portable fallback, and its tests). */
    public static TcpTransport createNio(int ioThreads) {
        return new TcpTransport(ioThreads, false, PortSharing.NONE);
    }

    public boolean usesEpoll() {
        return channelType == EpollSocketChannel.class;
    }

    /** Whether listeners share their port with hole-punch dials (epoll, or NIO where the JDK offers SO_REUSEPORT). */
    @Override
    public boolean dialsFromListenPort() {
        return usesEpoll() || NIO_REUSE_PORT;
    }

    private static boolean nioReusePort() {
        try (SocketChannel probe = SocketChannel.open()) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String scheme() {
        return PeerAddress.TCP;
    }

    @Override
    public CompletableFuture<BoundListener> listen(PeerAddress local, ChannelInitializer<Channel> init) {
        checkScheme(local);
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptGroup, ioGroup)
                .channel(serverChannelType)
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(portSharing.inbound(init));
        int port = local.port();
        if (dialsFromListenPort()) {
            try {
                port = exclusivePort(local);
            } catch (IOException inUse) {
                return CompletableFuture.failedFuture(inUse);
            }
            if (usesEpoll()) {
                b.option(EpollChannelOption.SO_REUSEPORT, true);
            } else {
                b.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
            }
        }
        return NettyFutures.toCompletable(b.bind(new InetSocketAddress(local.host(), port)))
                .thenApply(ch -> new BoundListener(addressOf(ch.localAddress()), ch));
    }

    /**
     * Binds {@code local} for a moment without SO_REUSEPORT: fails when something listens there
     * (SO_REUSEPORT alone would let a second node of this user share the port); the port the
     * kernel chose for port 0.
     */
    private static int exclusivePort(PeerAddress local) throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(local.host(), local.port()));
            return probe.getLocalPort();
        }
    }

    /**
     * Connects from {@code localPort} on every local address, with SO_REUSEADDR and SO_REUSEPORT,
     * so the dial shares the port with our listener (epoll: set on the socket before its bind, as
     * Netty's epoll client channels take no SO_REUSEPORT option).
     */
    @Override
    public CompletableFuture<Channel> dialFrom(int localPort, PeerAddress remote, ChannelInitializer<Channel> init,
                                               Duration connectTimeout) {
        checkScheme(remote);
        if (!dialsFromListenPort()) {
            return Transport.super.dialFrom(localPort, remote, init, connectTimeout);
        }
        boolean epoll = usesEpoll();
        Bootstrap b = new Bootstrap()
                .group(ioGroup)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) throws IOException {
                        if (epoll) {
                            ((io.netty.channel.unix.Socket) ((EpollSocketChannel) ch).fd()).setReusePort(true);
                        }
                        ch.pipeline().addLast(init);
                    }
                });
        if (!epoll) {
            b.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
        }
        InetSocketAddress to = new InetSocketAddress(remote.host(), remote.port());
        String any = to.getAddress() instanceof java.net.Inet6Address ? "::" : "0.0.0.0";
        return NettyFutures.toCompletable(b.connect(to, new InetSocketAddress(any, localPort)));
    }

    @Override
    public CompletableFuture<Channel> dial(PeerAddress remote, ChannelInitializer<Channel> init, Duration connectTimeout) {
        checkScheme(remote);
        Bootstrap b = new Bootstrap()
                .group(ioGroup)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(init);
        return NettyFutures.toCompletable(b.connect(new InetSocketAddress(remote.host(), remote.port())));
    }

    @Override
    public PeerAddress addressOf(SocketAddress socketAddress) {
        InetSocketAddress a = (InetSocketAddress) socketAddress;
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return PeerAddress.tcp(host, a.getPort());
    }

    private void checkScheme(PeerAddress address) {
        if (!PeerAddress.TCP.equals(address.scheme())) {
            throw new IllegalArgumentException("TCP transport cannot use " + address);
        }
    }

    @Override
    public void close() {
        acceptGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
