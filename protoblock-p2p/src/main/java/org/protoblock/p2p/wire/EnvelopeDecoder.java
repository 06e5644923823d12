package org.protoblock.p2p.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkException;
import org.protoblock.p2p.wire.proto.Envelope;

/**
 * Decrypted byte stream to {@link Envelope}s: a 4-byte big-endian length, then that many bytes of
 * protobuf. The declared length is checked against the current maximum before anything waits for
 * or allocates the body, so buffered input stays below max + 4 bytes plus one Noise message.
 * Until {@link #helloDone()} the maximum is {@link WireLimits#HANDSHAKE_MAX_ENVELOPE_BYTES}: a peer
 * that has not said Hello cannot make us buffer megabytes. With a completion timeout, an envelope
 * whose first byte arrived must be whole within it (trickled bytes keep resetting the idle timer;
 * they do not move this deadline); it fails the link with IDLE_TIMEOUT. While we pause reading
 * (backpressure) the deadline waits too: the slow-reader timeout judges that case. A bad length or body fails
 * the link with PROTOCOL_ERROR; input after a failure is dropped.
 *
 * <p>Threads: owned by the channel's event loop.
 */
public final class EnvelopeDecoder extends ByteToMessageDecoder {
    public static final String NAME = "envelope-decoder";

    private final int maxEnvelopeBytes;
    private final Optional<Duration> completionTimeout;
    private int currentMax;
    private boolean failed;
    private ScheduledFuture<?> deadline;

    /** Full limit from the first byte, no completion deadline (test peers, tools). */
    public EnvelopeDecoder(int maxEnvelopeBytes) {
        this.maxEnvelopeBytes = WireLimits.checkMax(maxEnvelopeBytes);
        this.currentMax = maxEnvelopeBytes;
        this.completionTimeout = Optional.empty();
    }

    /** A node's decoder: the handshake limit until {@link #helloDone()}, and a deadline per envelope. */
    public EnvelopeDecoder(int maxEnvelopeBytes, Duration completionTimeout) {
        this.maxEnvelopeBytes = WireLimits.checkMax(maxEnvelopeBytes);
        this.currentMax = Math.min(maxEnvelopeBytes, WireLimits.HANDSHAKE_MAX_ENVELOPE_BYTES);
        if (completionTimeout.isNegative() || completionTimeout.isZero()) {
            throw new IllegalArgumentException("envelope completion timeout must be positive");
        }
        this.completionTimeout = Optional.of(completionTimeout);
    }

    /** The peer's Hello was accepted: envelopes may now be up to the full maximum. */
    public void helloDone() {
        currentMax = maxEnvelopeBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < WireLimits.LENGTH_PREFIX_BYTES) {
            startDeadline(ctx);
            return;
        }
        long declared = in.getUnsignedInt(in.readerIndex());
        if (declared > currentMax) {
            throw fail(in, new LinkException(DisconnectReason.PROTOCOL_ERROR,
                    "declared envelope length " + declared + " exceeds " + currentMax));
        }
        if (in.readableBytes() < WireLimits.LENGTH_PREFIX_BYTES + declared) {
            startDeadline(ctx);
            return;
        }
        stopDeadline();
        in.skipBytes(WireLimits.LENGTH_PREFIX_BYTES);
        ByteBuf body = in.readSlice((int) declared);
        try {
            out.add(Envelope.parser().parseFrom(body.nioBuffer()));
        } catch (InvalidProtocolBufferException e) {
            throw fail(in, new LinkException(DisconnectReason.PROTOCOL_ERROR,
                    "malformed envelope of " + declared + " bytes"));
        }
    }

    private LinkException fail(ByteBuf in, LinkException why) {
        failed = true;
        stopDeadline();
        in.skipBytes(in.readableBytes());
        return why;
    }

    /** Runs from the first byte of an envelope until it is whole (not restarted by later bytes). */
    private void startDeadline(ChannelHandlerContext ctx) {
        if (deadline != null || completionTimeout.isEmpty()) {
            return;
        }
        Duration timeout = completionTimeout.get();
        deadline = ctx.executor().schedule(() -> {
            deadline = null;
            if (!ctx.channel().config().isAutoRead()) {
                startDeadline(ctx); // we paused reading (backpressure): the missing bytes wait on us
                return;
            }
            if (!failed && ctx.channel().isActive()) {
                failed = true;
                ctx.fireExceptionCaught(new LinkException(DisconnectReason.IDLE_TIMEOUT,
                        "envelope not complete within " + timeout.toMillis() + " ms"));
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void stopDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        stopDeadline();
    }
}
