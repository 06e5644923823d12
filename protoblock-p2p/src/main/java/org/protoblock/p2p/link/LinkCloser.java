package org.protoblock.p2p.link;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.wire.proto.Disconnect;
import org.protoblock.p2p.wire.proto.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way links end: records the first reason on the channel, logs one line, sends a
 * {@code Disconnect} when we decide and the link is secure, then closes. Callable from any thread.
 */
public final class LinkCloser {
    private static final Logger log = LoggerFactory.getLogger(LinkCloser.class);
    /** How long a Disconnect may take to leave before the socket is closed anyway. */
    private static final long DISCONNECT_FLUSH_MILLIS = 1_000;

    private LinkCloser() {
    }

    /** We end the link. */
    public static void close(Channel channel, DisconnectReason reason, String detail) {
        LinkClosed closed = new LinkClosed(reason, true, detail);
        if (!record(channel, closed)) {
            closeSocket(channel);
            return;
        }
        logClose(channel, closed);
        boolean secure = Boolean.TRUE.equals(channel.attr(LinkAttributes.SECURE).get());
        // A slow reader would not read the Disconnect either; anything else deserves to know why.
        if (secure && reason != DisconnectReason.SLOW_READER && channel.isActive()) {
            Envelope bye = Envelope.newBuilder()
                    .setDisconnect(Disconnect.newBuilder()
                            .setReasonValue(reason.code())
                            .setDetail(closed.detail()))
                    .build();
            ChannelFuture sent = channel.writeAndFlush(bye);
            var deadline = channel.eventLoop().schedule(() -> {
                closeSocket(channel);
            }, DISCONNECT_FLUSH_MILLIS, TimeUnit.MILLISECONDS);
            sent.addListener(f -> {
                deadline.cancel(false);
                closeSocket(channel);
            });
        } else {
            closeSocket(channel);
        }
    }

    /**
     * Closes the socket; a hole-punched link with a reset (SO_LINGER 0). Rationale: TIME_WAIT would
     * hold its (our listen port, the peer's address) pair for a minute, and the next punch to that
     * peer must connect from exactly that pair (the connect would fail with "address not available").
     */
    private static void closeSocket(Channel channel) {
        if (channel.attr(LinkAttributes.CONNECTION).get() == ConnectionType.HOLEPUNCHED && channel.isOpen()) {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
        }
        channel.close();
    }

    /** The peer ended the link with a Disconnect. */
    public static void closedByPeer(Channel channel, DisconnectReason reason, String detail) {
        LinkClosed closed = new LinkClosed(reason, false, detail);
        if (record(channel, closed)) {
            logClose(channel, closed);
        }
        closeSocket(channel);
    }

    /** The reason recorded for a closed channel; a bare hang-up reads as CONNECTION_CLOSED by the peer. */
    public static LinkClosed closedReason(Channel channel) {
        LinkClosed closed = channel.attr(LinkAttributes.CLOSED).get();
        return closed != null ? closed : new LinkClosed(DisconnectReason.CONNECTION_CLOSED, false, "");
    }

    /** Marks a hang-up so later events see one consistent reason. */
    public static LinkClosed recordHangUp(Channel channel) {
        record(channel, new LinkClosed(DisconnectReason.CONNECTION_CLOSED, false, ""));
        return closedReason(channel);
    }

    public static boolean isClosing(Channel channel) {
        return channel.attr(LinkAttributes.CLOSED).get() != null;
    }

    private static boolean record(Channel channel, LinkClosed closed) {
        boolean first = channel.attr(LinkAttributes.CLOSED).compareAndSet(null, closed);
        if (first) {
            // Stop taking input from a link we are leaving; what is queued is dropped.
            channel.config().setAutoRead(false);
        }
        return first;
    }

    /** One line per link end, naming the peer by address and, once known, node id. */
    static void logClose(Channel channel, LinkClosed closed) {
        String peer = describe(channel);
        switch (closed.reason()) {
            case SHUTDOWN, REQUESTED, CONNECTION_CLOSED, DUPLICATE_CONNECTION ->
                    log.debug("Link {} closed: {}", peer, closed);
            default -> log.info("Link {} closed: {}", peer, closed);
        }
    }

    public static String describe(Channel channel) {
        Optional<NodeId> node = Optional.ofNullable(channel.attr(LinkAttributes.REMOTE_NODE).get());
        String address = channel.remoteAddress() instanceof java.net.InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() + ":" + inet.getPort()
                : String.valueOf(channel.remoteAddress());
        return address + node.map(n -> " node " + n.shortForm()).orElse("");
    }
}
