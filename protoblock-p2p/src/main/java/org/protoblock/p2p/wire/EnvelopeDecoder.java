package org.protoblock.p2p.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkException;
import org.protoblock.p2p.wire.proto.Envelope;

/**
 * Decrypted byte stream to {@link Envelope}s: a 4-byte big-endian length, then that many bytes of
 * protobuf. The declared length is checked against the maximum before anything waits for or
 * allocates the body, so buffered input stays below max + 4 bytes plus one Noise message.
 * A bad length or body fails the link with PROTOCOL_ERROR; input after that is dropped.
 *
 * <p>Owned by the channel's event loop.
 */
public final class EnvelopeDecoder extends ByteToMessageDecoder {
    public static final String NAME = "envelope-decoder";

    private final int maxEnvelopeBytes;
    private boolean failed;

    public EnvelopeDecoder(int maxEnvelopeBytes) {
        this.maxEnvelopeBytes = WireLimits.checkMax(maxEnvelopeBytes);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < WireLimits.LENGTH_PREFIX_BYTES) {
            return;
        }
        long declared = in.getUnsignedInt(in.readerIndex());
        if (declared > maxEnvelopeBytes) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw new LinkException(DisconnectReason.PROTOCOL_ERROR,
                    "declared envelope length " + declared + " exceeds " + maxEnvelopeBytes);
        }
        if (in.readableBytes() < WireLimits.LENGTH_PREFIX_BYTES + declared) {
            return;
        }
        in.skipBytes(WireLimits.LENGTH_PREFIX_BYTES);
        ByteBuf body = in.readSlice((int) declared);
        try {
            out.add(Envelope.parser().parseFrom(body.nioBuffer()));
        } catch (InvalidProtocolBufferException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw new LinkException(DisconnectReason.PROTOCOL_ERROR, "malformed envelope of " + declared + " bytes");
        }
    }
}
