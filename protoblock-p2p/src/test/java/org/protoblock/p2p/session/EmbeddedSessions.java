package org.protoblock.p2p.session;

import com.google.protobuf.ByteString;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.handshake.ProtocolVersion;
import org.protoblock.p2p.host.TestNet;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.LinkGuard;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.WireLimits;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.Txs;

/**
 * A session's handlers on an {@link EmbeddedChannel} with frozen time (advance it with
 * {@code advanceTimeBy} and run timers with {@code runScheduledPendingTasks}): envelopes written
 * inbound come from the peer, outbound messages are what would reach the Envelope encoder.
 */
final class EmbeddedSessions {
    static final NodeId PEER = NodeId.hashOf(new byte[32]);

    private EmbeddedSessions() {
    }

    /** A channel with frozen time; add the handlers with {@link #add}. */
    static EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        return ch;
    }

    static Session session(EmbeddedChannel ch, SessionLimits limits) {
        return session(ch, limits, OutboundBudget.unlimited());
    }

    static Session session(EmbeddedChannel ch, SessionLimits limits, OutboundBudget budget) {
        Hello hello = new Hello(ProtocolVersion.DEFAULT.current(), TestNet.NETWORK, TestNet.GENESIS, "test/1", List.of(), Optional.empty(),
                TestNet.chain().head(), Set.of(), Instant.now());
        return new Session(ch, PEER, hello, Direction.OUTBOUND, PeerAddress.local("peer"), limits,
                WireLimits.DEFAULT_MAX_ENVELOPE_BYTES, budget);
    }

    /**
     * Adds {@code handlers}, then a guard that closes the link on errors as {@link LinkGuard} does
     * but, unlike it, lets messages through to {@link EmbeddedChannel#readInbound()}.
     */
    static void add(EmbeddedChannel ch, ChannelHandler... handlers) {
        ch.pipeline().addLast(handlers);
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                LinkGuard.INSTANCE.exceptionCaught(ctx, cause);
            }
        });
    }

    static Envelope txs(String text) {
        return Envelope.newBuilder().setTxs(Txs.newBuilder().addTxs(ByteString.copyFromUtf8(text))).build();
    }

    static Envelope request(long id, String text) {
        return txs(text).toBuilder().setRequestId(id).build();
    }

    static Envelope response(long id, String text) {
        return txs(text).toBuilder().setRequestId(id).setIsResponse(true).build();
    }
}
