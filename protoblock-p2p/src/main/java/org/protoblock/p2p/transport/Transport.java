package org.protoblock.p2p.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A way to open byte-stream links. The session layer only ever sees "a Netty {@link Channel} whose
 * pipeline gets our secure stack", so TCP, in-process and later relayed or hole-punched links all
 * plug in here.
 *
 * <p>A transport owns its event loops; whoever creates it closes it. Several {@code PeerHost}s may
 * share one transport (tests, the simulator).
 */
public interface Transport extends AutoCloseable {
    /** The address scheme this transport dials and listens on, e.g. {@code tcp}. */
    String scheme();

    /** Binds a listener; every accepted channel runs {@code init} before its first read. */
    CompletableFuture<BoundListener> listen(PeerAddress local, ChannelInitializer<Channel> init);

    /** Connects to {@code remote}; the channel runs {@code init} before it becomes active. */
    CompletableFuture<Channel> dial(PeerAddress remote, ChannelInitializer<Channel> init, Duration connectTimeout);

    /**
     * Connects to {@code remote} from our own listening port {@code localPort} (TCP hole punching:
     * both sides dial from the port the other side's NAT has seen, so the connection is a
     * simultaneous open). Fails with {@link UnsupportedOperationException} where the transport
     * cannot ({@link #dialsFromListenPort}).
     */
    default CompletableFuture<Channel> dialFrom(int localPort, PeerAddress remote, ChannelInitializer<Channel> init,
                                                Duration connectTimeout) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(scheme() + " cannot dial from a listening port"));
    }

    /** Whether {@link #dialFrom} works (listeners and dials share ports). */
    default boolean dialsFromListenPort() {
        return false;
    }

    /**
     * Whether links may batch their flushes (Netty's FlushConsolidationHandler). True for sockets;
     * a transport whose flushes deliver synchronously into the peer's read says false (see
     * {@link InProcessTransport}).
     */
    default boolean consolidatesFlushes() {
        return true;
    }

    /** The peer address for a channel's local or remote socket address. */
    PeerAddress addressOf(SocketAddress socketAddress);

    /** Shuts the event loops down, waiting at most a few seconds. */
    @Override
    void close();

    /** A bound listening channel; closing it stops accepting, existing links stay. */
    record BoundListener(PeerAddress address, Channel channel) {
        public CompletableFuture<Void> close() {
            return NettyFutures.toCompletable(channel.close()).thenApply(ch -> null);
        }
    }
}
