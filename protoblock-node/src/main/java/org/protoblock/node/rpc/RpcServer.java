package org.protoblock.node.rpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.protoblock.node.config.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of the RPC port (JSON-RPC, /metrics, WebSocket endpoints), on Netty's HTTP codec.
 *
 * <p>Every request and WebSocket upgrade passes {@link BrowserGuard} first (HTTP 403 otherwise);
 * JSON-RPC takes only {@code Content-Type: application/json} (HTTP 415 otherwise), which a page
 * cannot send across origins without a CORS preflight, and the port answers no preflight.
 *
 * <p>Bounds: request bodies up to {@value #MAX_REQUEST_BYTES} bytes (HTTP 413 beyond), headers
 * 8 KiB, {@value #MAX_CONNECTIONS} HTTP connections (more are closed on accept) and
 * {@value #MAX_WEBSOCKETS} upgraded to WebSocket (more are refused with 503), idle HTTP connections
 * closed after {@value #IDLE_SECONDS} s, {@value #WORKERS} executor threads with a queue of
 * {@value #QUEUE} requests (HTTP 503 beyond). Threads: one event loop for I/O; the executor runs
 * the methods.
 */
public final class RpcServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RpcServer.class);
    public static final int MAX_REQUEST_BYTES = 1024 * 1024;
    public static final int MAX_CONNECTIONS = 64;
    /** WebSocket connections, counted apart so that idle subscribers cannot crowd out HTTP requests. */
    public static final int MAX_WEBSOCKETS = 256;
    public static final int IDLE_SECONDS = 60;
    public static final int WORKERS = 2;
    public static final int QUEUE = 256;
    /** Pipeline names that a WebSocket upgrade replaces. */
    static final String IDLE = "idle";
    static final String HTTP_HANDLER = "rpc";
    static final String ERRORS = "errors";

    private final EventLoopGroup group;
    private final ThreadPoolExecutor executor;
    private final Channel channel;

    private RpcServer(EventLoopGroup group, ThreadPoolExecutor executor, Channel channel) {
        this.group = group;
        this.executor = executor;
        this.channel = channel;
    }

    /** A bounded executor for RPC work; build the methods with it, then pass it to {@link #bind}. */
    public static ThreadPoolExecutor newExecutor() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "rpc-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Binds {@code address}; fails with the bind error (e.g. address in use). Owns {@code executor}
     * from here on (shuts it down on close or on failure).
     */
    public static RpcServer bind(HostPort address, HttpRoutes routes, RpcAuth auth, ThreadPoolExecutor executor,
                                 ObjectMapper mapper) throws InterruptedException {
        return bind(address, routes, auth, RpcAccess.ownOnly(), executor, mapper);
    }

    /** As above; {@code access} says which other names and web origins may reach the port ({@link BrowserGuard}). */
    public static RpcServer bind(HostPort address, HttpRoutes routes, RpcAuth auth, RpcAccess access,
                                 ThreadPoolExecutor executor, ObjectMapper mapper) throws InterruptedException {
        BrowserGuard guard = new BrowserGuard(address.host(), access);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        AtomicInteger open = new AtomicInteger();
        AtomicInteger webSockets = new AtomicInteger();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (open.incrementAndGet() > MAX_CONNECTIONS) {
                            open.decrementAndGet();
                            ch.close();
                            return;
                        }
                        // an upgraded connection leaves the HTTP budget for the WebSocket one
                        AtomicBoolean upgraded = new AtomicBoolean();
                        ch.closeFuture().addListener(f -> (upgraded.get() ? webSockets : open).decrementAndGet());
                        BooleanSupplier toWebSocket = () -> {
                            if (webSockets.incrementAndGet() > MAX_WEBSOCKETS) {
                                webSockets.decrementAndGet();
                                return false;
                            }
                            upgraded.set(true);
                            open.decrementAndGet();
                            return true;
                        };
                        ch.pipeline()
                                .addLast(IDLE, new IdleStateHandler(0, 0, IDLE_SECONDS))
                                .addLast(new HttpServerCodec(4096, 8192, 8192))
                                .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES, true))
                                .addLast(new WebSocketUpgradeHandler(routes.webSockets(), guard, auth, toWebSocket))
                                .addLast(HTTP_HANDLER, new RpcHttpHandler(routes, guard, auth, executor, mapper))
                                .addLast(ERRORS, new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        ctx.close();
                                    }
                                });
                    }
                });
        try {
            Channel ch = bootstrap.bind(address.host(), address.port()).sync().channel();
            return new RpcServer(group, executor, ch);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            executor.shutdownNow();
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Stops accepting, closes connections, stops the executor (bounded waits). */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
        log.debug("RPC server on {} closed", channel.localAddress());
    }
}
