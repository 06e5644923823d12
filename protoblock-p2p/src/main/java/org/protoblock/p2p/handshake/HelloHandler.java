package org.protoblock.p2p.handshake;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkCloser;
import org.protoblock.p2p.link.LinkException;
import org.protoblock.p2p.noise.NoisePrologue;
import org.protoblock.p2p.noise.SecureLinkEstablished;
import org.protoblock.p2p.wire.proto.Envelope;

/**
 * The Hello exchange, after Noise: both sides send their Hello at once; the first envelope from the
 * peer must be its Hello (or a Disconnect, or on a dial-back link a DialBack, which the listener
 * takes instead of a Hello). An incompatible Hello is refused with a Disconnect
 * carrying the reason. The whole handshake, Noise included, must finish within the handshake
 * timeout, which starts when this handler joins the pipeline.
 *
 * <p>On success the {@link HandshakeListener} installs the session stage and this handler leaves.
 * State is owned by the channel's event loop.
 */
public final class HelloHandler extends ChannelInboundHandlerAdapter {
    public static final String NAME = "hello";

    private final HelloValidator validator;
    private final LocalHelloFactory localHello;
    private final Duration timeout;
    private final HandshakeListener listener;
    private Future<?> timer;
    private NodeId remote;
    private Optional<NoisePrologue> peerPrologue = Optional.empty();
    private boolean done;

    /** Builds our Hello for a peer, given the address we see it at. */
    @FunctionalInterface
    public interface LocalHelloFactory {
        Hello create(ChannelHandlerContext ctx);
    }

    public HelloHandler(HelloValidator validator, LocalHelloFactory localHello, Duration timeout,
                        HandshakeListener listener) {
        this.validator = validator;
        this.localHello = localHello;
        this.timeout = timeout;
        this.listener = listener;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> LinkCloser.close(ctx.channel(), DisconnectReason.HANDSHAKE_TIMEOUT,
                "handshake not done within " + timeout.toMillis() + " ms"), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SecureLinkEstablished secure) {
            remote = secure.remoteNodeId();
            peerPrologue = secure.peerPrologue();
            Optional<LinkException> refusal = listener.authenticated(remote);
            if (refusal.isPresent()) {
                LinkCloser.close(ctx.channel(), refusal.get().reason(), refusal.get().detail());
                return;
            }
            Hello hello = localHello.create(ctx);
            ctx.writeAndFlush(Envelope.newBuilder().setHello(HelloCodec.toProto(hello)).build());
            return;
        }
        if (evt instanceof IdleStateEvent) {
            return; // until the handshake is done its own deadline decides, with the truer reason
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Envelope envelope)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (done) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (LinkCloser.isClosing(ctx.channel())) {
            return;
        }
        if (envelope.getBodyCase() == Envelope.BodyCase.DISCONNECT) {
            var d = envelope.getDisconnect();
            LinkCloser.closedByPeer(ctx.channel(), DisconnectReason.fromCode(d.getReasonValue()), d.getDetail());
            return;
        }
        if (envelope.getBodyCase() == Envelope.BodyCase.DIAL_BACK) {
            done = true; // a probe of our reachability, not a peer: the listener ends the link
            timer.cancel(false);
            listener.dialBack(ctx, remote, envelope.getDialBack().getNonce());
            return;
        }
        if (envelope.getBodyCase() != Envelope.BodyCase.HELLO) {
            throw new LinkException(DisconnectReason.PROTOCOL_ERROR, "expected Hello, got " + envelope.getBodyCase());
        }
        Hello hello = HelloCodec.fromProto(envelope.getHello());
        Optional<LinkException> refusal = validator.check(hello).or(() -> checkPrologue(hello))
                .or(() -> listener.established(ctx, remote, hello));
        if (refusal.isPresent()) {
            LinkCloser.close(ctx.channel(), refusal.get().reason(), refusal.get().detail());
            return;
        }
        done = true;
        timer.cancel(false);
        ctx.pipeline().remove(this);
    }

    /** The Hello must repeat what the peer bound into the Noise prologue. */
    private Optional<LinkException> checkPrologue(Hello hello) {
        if (peerPrologue.isEmpty() || (peerPrologue.get().protocolVersion() == hello.protocolVersion()
                && peerPrologue.get().networkId().equals(hello.networkId()))) {
            return Optional.empty();
        }
        return Optional.of(new LinkException(DisconnectReason.PROTOCOL_ERROR, "Hello contradicts the Noise prologue"));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!done) {
            done = true;
            timer.cancel(false);
            listener.failed(ctx, Optional.ofNullable(remote), LinkCloser.recordHangUp(ctx.channel()));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
