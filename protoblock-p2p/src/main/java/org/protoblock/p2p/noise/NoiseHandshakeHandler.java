package org.protoblock.p2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
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
 * reason both sides see, instead of a silent decryption failure. Messages 2 and 3 carry the
 * sender's identity ({@link HandshakePayload}: its Ed25519 node id and signature over its static
 * key), checked here against the static key Noise authenticated: everything above sees the
 * verified node id, never the static key. A bad identity ends the link with PROTOCOL_ERROR.
 *
 * <p>A dialer that expects a node id checks the responder's identity on message 2 and leaves
 * with UNEXPECTED_IDENTITY before revealing its own identity in message 3.
 *
 * <p>Each received message is processed (read, our answer written, split) on the
 * {@link HandshakeCryptoExecutor}; the result comes back to the event loop, which sends it. XX
 * alternates strictly, so a message arriving while the previous one is processed is a protocol
 * error; a refused task (executor full) drops the link with TOO_MANY_PEERS.
 *
 * <p>Threads: owned by the channel's event loop, except that while {@code busy} the handshake state
 * belongs to the crypto task; the hand-offs through the executors order the accesses.
 */
public final class NoiseHandshakeHandler extends ChannelDuplexHandler {
    public static final String NAME = "noise";
    /** Frames held while a message is processed; a legitimate peer sends at most one (its Hello). */
    static final int MAX_WAITING_FRAMES = 4;

    private final NodeKey localKey;
    private final NoisePrologue localPrologue;
    private final boolean initiator;
    private final Optional<NodeId> expectedRemote;
    private final HandshakeCryptoExecutor crypto;
    private NoiseHandshake handshake;
    private NoisePrologue peerPrologue;
    /** The peer's verified identity, once its message 2 or 3 was read. */
    private NodeId remoteIdentity;
    /** A received message is being processed by the crypto executor. */
    private boolean busy;
    /** Frames received while busy, in order. */
    private final ArrayDeque<byte[]> waiting = new ArrayDeque<>();

    /** What processing one message produced, handed back to the event loop. */
    private record Step(Optional<byte[]> reply, Optional<NodeId> remote, Optional<NoiseCiphers> ciphers,
                        Optional<RuntimeException> failure) {
        static Step failed(RuntimeException e) {
            return new Step(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(e));
        }
    }

    /** Handshake crypto on the event loop (dials, tests). */
    public NoiseHandshakeHandler(NodeKey localKey, NoisePrologue localPrologue, boolean initiator,
                                 Optional<NodeId> expectedRemote) {
        this(localKey, localPrologue, initiator, expectedRemote, HandshakeCryptoExecutor.INLINE);
    }

    public NoiseHandshakeHandler(NodeKey localKey, NoisePrologue localPrologue, boolean initiator,
                                 Optional<NodeId> expectedRemote, HandshakeCryptoExecutor crypto) {
        this.localKey = localKey;
        this.localPrologue = localPrologue;
        this.initiator = initiator;
        this.expectedRemote = expectedRemote;
        this.crypto = crypto;
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
        handshake = NoiseHandshake.initiator(localKey, prologue);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(handshake.writeMessage(prologue)));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        byte[] message;
        try {
            message = ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
        }
        if (busy) {
            // The initiator's first encrypted frames may follow message 3 at once; keep a few.
            if (waiting.size() >= MAX_WAITING_FRAMES) {
                throw new LinkException(DisconnectReason.PROTOCOL_ERROR, "noise messages before our answer");
            }
            waiting.add(message);
            return;
        }
        submit(ctx, message);
    }

    private void submit(ChannelHandlerContext ctx, byte[] message) {
        busy = true;
        Runnable work = () -> {
            Step step = process(message);
            if (ctx.executor().inEventLoop()) {
                apply(ctx, step);
            } else {
                try {
                    ctx.executor().execute(() -> apply(ctx, step));
                } catch (RejectedExecutionException loopGone) {
                    step.ciphers().ifPresent(NoiseCiphers::destroy);
                }
            }
        };
        if (!crypto.tryExecute(work)) {
            busy = false;
            throw new LinkException(DisconnectReason.TOO_MANY_PEERS, "handshake crypto busy");
        }
    }

    /** On the crypto executor: reads the message, writes our answer, splits when done. */
    private Step process(byte[] message) {
        try {
            if (handshake == null) {
                acceptFirstMessage(message);
            } else {
                byte[] payload = handshake.readMessage(message);
                remoteIdentity = HandshakePayload.verify(payload, handshake.remoteStaticKey().orElseThrow());
            }
            if (initiator && handshake.wantsToWrite()) {
                checkExpectedIdentity();
            }
            Optional<byte[]> reply = handshake.wantsToWrite()
                    ? Optional.of(handshake.writeMessage(HandshakePayload.encode(localKey.staticKeyProof())))
                    : Optional.empty();
            if (!handshake.isFinished()) {
                return new Step(reply, Optional.empty(), Optional.empty(), Optional.empty());
            }
            NoiseCiphers ciphers = handshake.split();
            handshake.close();
            return new Step(reply, Optional.of(remoteIdentity), Optional.of(ciphers), Optional.empty());
        } catch (NoiseException e) {
            return Step.failed(new LinkException(DisconnectReason.PROTOCOL_ERROR, "noise handshake: " + e.getMessage()));
        } catch (RuntimeException e) { // LinkException, or a bug the guard logs with its stack trace
            return Step.failed(e);
        }
    }

    /** Back on the event loop: sends our answer, and on the last message turns the link secure. */
    private void apply(ChannelHandlerContext ctx, Step step) {
        busy = false;
        if (ctx.isRemoved() || !ctx.channel().isActive()) {
            waiting.clear();
            step.ciphers().ifPresent(NoiseCiphers::destroy);
            if (handshake != null) {
                handshake.close();
            }
            return;
        }
        if (step.failure().isPresent()) {
            waiting.clear();
            ctx.fireExceptionCaught(step.failure().get());
            return;
        }
        step.reply().ifPresent(reply -> ctx.writeAndFlush(Unpooled.wrappedBuffer(reply)));
        if (step.ciphers().isPresent()) {
            ChannelPipeline pipeline = ctx.pipeline();
            finish(ctx, step.remote().orElseThrow(), step.ciphers().get());
            // Frames that came meanwhile are transport messages: through the cipher handler now in our place.
            ChannelHandlerContext framing = pipeline.context(NoiseFraming.DECODER);
            while (framing != null && !waiting.isEmpty()) {
                framing.fireChannelRead(Unpooled.wrappedBuffer(waiting.poll()));
            }
            waiting.clear();
        } else if (!waiting.isEmpty()) {
            submit(ctx, waiting.poll());
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
        handshake = NoiseHandshake.responder(localKey, prologue);
        handshake.readMessage(message);
    }

    private void checkExpectedIdentity() {
        NodeId remote = remoteIdentity;
        expectedRemote.filter(expected -> !expected.equals(remote)).ifPresent(expected -> {
            throw new LinkException(DisconnectReason.UNEXPECTED_IDENTITY,
                    "expected node " + expected.shortForm() + ", met " + remote.shortForm());
        });
    }

    private void finish(ChannelHandlerContext ctx, NodeId remote, NoiseCiphers ciphers) {
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
        // While busy the crypto task owns the handshake; apply() closes it when the task is back.
        if (handshake != null && !busy) {
            handshake.close();
        }
    }
}
