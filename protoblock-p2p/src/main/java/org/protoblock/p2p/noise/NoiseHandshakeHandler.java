package org.protoblock.p2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.util.Arrays;
import java.util.Optional;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkAttributes;
import org.protoblock.p2p.link.LinkException;

/**
 * Runs the Noise XX handshake over length-prefixed frames, then replaces itself with a
 * {@link NoiseCipherHandler} and fires {@link SecureLinkEstablished}.
 *
 * <p>Message 1 carries the initiator's prologue in the clear (it is plaintext in XX anyway and
 * bound into the handshake hash). The responder adopts it, so a peer from another network or
 * protocol version still completes the handshake and is refused by the Hello exchange with a
 * reason both sides see, instead of a silent decryption failure. Messages 2 and 3 carry nothing.
 *
 * <p>A dialer that expects a node id checks the responder's static key on message 2 and leaves
 * with UNEXPECTED_IDENTITY before revealing its own identity in message 3.
 *
 * <p>State is owned by the channel's event loop.
 */
public final class NoiseHandshakeHandler extends ChannelDuplexHandler {
    public static final String NAME = "noise";

    private final NodeKey localKey;
    private final NoisePrologue localPrologue;
    private final boolean initiator;
    private final Optional<NodeId> expectedRemote;
    private NoiseHandshake handshake;
    private NoisePrologue peerPrologue;

    public NoiseHandshakeHandler(NodeKey localKey, NoisePrologue localPrologue, boolean initiator,
                                 Optional<NodeId> expectedRemote) {
        this.localKey = localKey;
        this.localPrologue = localPrologue;
        this.initiator = initiator;
        this.expectedRemote = expectedRemote;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) throws NoiseException {
        if (!initiator || handshake != null) {
            return;
        }
        byte[] prologue = localPrologue.toBytes();
        handshake = NoiseHandshake.initiator(localKey.privateKey(), prologue);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(handshake.writeMessage(prologue)));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        ByteBuf frame = (ByteBuf) msg;
        byte[] message;
        try {
            message = ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
        }
        try {
            onMessage(ctx, message);
        } catch (NoiseException e) {
            throw new LinkException(DisconnectReason.PROTOCOL_ERROR, "noise handshake: " + e.getMessage());
        }
    }

    private void onMessage(ChannelHandlerContext ctx, byte[] message) throws NoiseException {
        if (handshake == null) {
            acceptFirstMessage(message);
        } else {
            byte[] payload = handshake.readMessage(message);
            if (payload.length != 0) {
                throw new LinkException(DisconnectReason.PROTOCOL_ERROR, "noise message with a payload");
            }
        }
        if (initiator && handshake.wantsToWrite()) {
            checkExpectedIdentity();
        }
        if (handshake.wantsToWrite()) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(handshake.writeMessage(new byte[0])));
        }
        if (handshake.isFinished()) {
            finish(ctx);
        }
    }

    private void acceptFirstMessage(byte[] message) throws NoiseException {
        if (initiator) {
            throw new NoiseException("initiator got a first message");
        }
        if (message.length < NoiseHandshake.KEY_BYTES) {
            throw new NoiseException("first message of " + message.length + " bytes");
        }
        byte[] prologue = Arrays.copyOfRange(message, NoiseHandshake.KEY_BYTES, message.length);
        peerPrologue = NoisePrologue.parse(prologue)
                .orElseThrow(() -> new NoiseException("first message is not a protoblock handshake"));
        handshake = NoiseHandshake.responder(localKey.privateKey(), prologue);
        handshake.readMessage(message);
    }

    private void checkExpectedIdentity() {
        NodeId remote = NodeId.ofStaticKey(handshake.remoteStaticKey().orElseThrow());
        expectedRemote.filter(expected -> !expected.equals(remote)).ifPresent(expected -> {
            throw new LinkException(DisconnectReason.UNEXPECTED_IDENTITY,
                    "expected node " + expected.shortForm() + ", met " + remote.shortForm());
        });
    }

    private void finish(ChannelHandlerContext ctx) throws NoiseException {
        NodeId remote = NodeId.ofStaticKey(handshake.remoteStaticKey().orElseThrow());
        NoiseCiphers ciphers = handshake.split();
        handshake.close();
        ctx.channel().attr(LinkAttributes.REMOTE_NODE).set(remote);
        ctx.channel().attr(LinkAttributes.SECURE).set(Boolean.TRUE);
        ctx.pipeline().replace(this, NoiseCipherHandler.NAME, new NoiseCipherHandler(ciphers));
        ctx.pipeline().context(NoiseCipherHandler.NAME)
                .fireUserEventTriggered(new SecureLinkEstablished(remote, Optional.ofNullable(peerPrologue)));
    }

    /** Nothing from above may leave before the link is encrypted. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ReferenceCountUtil.release(msg);
        promise.setFailure(new IllegalStateException("link is not secure yet"));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (handshake != null) {
            handshake.close();
        }
    }
}
