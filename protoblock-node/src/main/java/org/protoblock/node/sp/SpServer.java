package org.protoblock.node.sp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.protoblock.node.config.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening SP socket on a stream transport: tcp://HOST:PORT or ipc://PATH (a Unix domain
 * socket, epoll only). At most {@code maxConnections} connections (more are closed on accept).
 * Each connection's outbound buffer is bounded by {@link #WATER_MARK}: above it a PUB subscriber
 * is skipped (see {@link SpPublisher}); its kernel send buffer by {@link #SEND_BUFFER_BYTES}.
 *
 * <p>Threads: the {@link SpIo} event loops.
 */
public final class SpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpServer.class);
    /**
     * Each connection's Netty outbound backlog. Rationale: a PUB subscriber is skipped once it is
     * above the high mark, and every message queued to a subscriber that does not read costs a
     * pipeline write; 64 KiB (a few hundred transactions, or one block of any size: the check comes
     * before the write) keeps a burst's fan-out to stalled subscribers short, in the spirit of nng's
     * PUB send queue of 16 messages.
     */
    public static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);
    /**
     * The kernel's send buffer per connection. Rationale: left to autotuning it grows to megabytes,
     * and 1,000 stalled subscribers would hold gigabytes of kernel memory before Netty saw one of
     * them unwritable.
     */
    public static final int SEND_BUFFER_BYTES = 128 * 1024;

    private final Channel channel;
    private final String url;
    private final Optional<Path> socketFile;

    private SpServer(Channel channel, String url, Optional<Path> socketFile) {
        this.channel = channel;
        this.url = url;
        this.socketFile = socketFile;
    }

    public static SpServer bindTcp(SpIo io, HostPort address, SpEndpoint endpoint, int maxConnections)
            throws InterruptedException {
        Channel ch = bootstrap(io.group(), endpoint, SpFraming.TCP, maxConnections)
                .channel(io.tcpServerChannel())
                .bind(address.host(), address.port()).sync().channel();
        InetSocketAddress bound = (InetSocketAddress) ch.localAddress();
        String host = bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getAddress().getHostAddress();
        return new SpServer(ch, "tcp://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + bound.getPort(),
                Optional.empty());
    }

    /** Binds a Unix domain socket at {@code path}, replacing a stale socket file left by a crash; removes it on close. */
    public static SpServer bindIpc(SpIo io, Path path, SpEndpoint endpoint, int maxConnections)
            throws InterruptedException, IOException {
        if (!io.supportsIpc()) {
            throw new IOException("ipc:// needs the epoll transport, which did not load");
        }
        Files.deleteIfExists(path);
        Channel ch = bootstrap(io.group(), endpoint, SpFraming.IPC, maxConnections)
                .channel(EpollServerDomainSocketChannel.class)
                .bind(new DomainSocketAddress(path.toFile())).sync().channel();
        return new SpServer(ch, "ipc://" + path.toAbsolutePath(), Optional.of(path));
    }

    private static ServerBootstrap bootstrap(EventLoopGroup group, SpEndpoint endpoint, SpFraming framing,
                                             int maxConnections) {
        AtomicInteger open = new AtomicInteger();
        return new ServerBootstrap()
                .group(group)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childOption(ChannelOption.SO_SNDBUF, SEND_BUFFER_BYTES)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (open.incrementAndGet() > maxConnections) {
                            open.decrementAndGet();
                            log.debug("SP {}: {} connections already, closing {}", endpoint.name(), maxConnections,
                                    ch.remoteAddress());
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> open.decrementAndGet());
                        endpoint.initStream(ch.pipeline(), framing);
                    }
                });
    }

    /** Where clients dial, e.g. {@code tcp://127.0.0.1:8126}. */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        socketFile.ifPresent(path -> {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                log.debug("Could not remove {}: {}", path, e.toString());
            }
        });
    }
}
