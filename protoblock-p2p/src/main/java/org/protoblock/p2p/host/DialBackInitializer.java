package org.protoblock.p2p.host;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkClosedException;
import org.protoblock.p2p.link.LinkCloser;
import org.protoblock.p2p.link.LinkGuard;
import org.protoblock.p2p.noise.NoiseFraming;
import org.protoblock.p2p.noise.NoiseHandshakeHandler;
import org.protoblock.p2p.noise.SecureLinkEstablished;
import org.protoblock.p2p.wire.proto.DialBack;
import org.protoblock.p2p.wire.proto.Envelope;

/**
 * The pipeline of a dial-back link, which proves to a peer that we can reach it at an address:
 * Noise as the initiator, insisting on the peer's node id, then one {@code DialBack} envelope with
 * the peer's nonce in place of our Hello; the peer then closes (or our deadline does). No Hello, no session, no peer events: the
 * link is a probe, not a peer. Whatever the peer sends is dropped.
 *
 * <p>{@code result} completes when the DialBack was written to the authenticated link, and fails
 * when the dial, the handshake or the write fails or {@code timeout} passes first.
 * State is owned by the link's event loop.
 */
final class DialBackInitializer extends ChannelInitializer<Channel> {
    private final PeerHost host;
    private final NodeId expected;
    private final long nonce;
    private final Duration timeout;
    private final CompletableFuture<Void> result;

    DialBackInitializer(PeerHost host, NodeId expected, long nonce, Duration timeout, CompletableFuture<Void> result) {
        this.host = host;
        this.expected = expected;
        this.nonce = nonce;
        this.timeout = timeout;
        this.result = result;
    }

    @Override
    protected void initChannel(Channel ch) {
        var deadline = ch.eventLoop().schedule(() -> LinkCloser.close(ch, DisconnectReason.HANDSHAKE_TIMEOUT,
                "dial-back not done within " + timeout.toMillis() + " ms"), timeout.toNanos(), TimeUnit.NANOSECONDS);
        ch.closeFuture().addListener(f -> {
            deadline.cancel(false);
            result.completeExceptionally(new LinkClosedException(LinkCloser.closedReason(ch)));
        });
        NoiseFraming.addTo(ch.pipeline(), new NoiseHandshakeHandler(host.nodeKey(), host.prologue(), true, Optional.of(expected)));
        ch.pipeline().addLast(host.envelopeEncoder());
        ch.pipeline().addLast("dial-back", new Sender());
        ch.pipeline().addLast(LinkInitializer.GUARD, LinkGuard.INSTANCE);
    }

    /** Sends the nonce once Noise has authenticated the expected peer, then closes. */
    private final class Sender extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (!(evt instanceof SecureLinkEstablished)) {
                ctx.fireUserEventTriggered(evt);
                return;
            }
            Envelope envelope = Envelope.newBuilder().setDialBack(DialBack.newBuilder().setNonce(nonce)).build();
            // The peer closes the link once it has read the nonce; closing first could race its
            // handshake thread, which may still be finishing Noise when our FIN arrives.
            ctx.writeAndFlush(envelope).addListener(f -> {
                if (f.isSuccess()) {
                    result.complete(null);
                } else {
                    ctx.close();
                }
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg); // the peer's Hello (still encrypted frames): not ours to read
        }
    }
}
