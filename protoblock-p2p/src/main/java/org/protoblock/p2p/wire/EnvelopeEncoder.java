package org.protoblock.p2p.wire;

import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToByteEncoder;
import java.io.IOException;
import org.protoblock.p2p.wire.proto.Envelope;

/**
 * {@link Envelope} to its wire form (4-byte length + protobuf). An envelope above the maximum fails
 * its write promise; the session checks sizes before writing, so this is a last guard.
 */
@ChannelHandler.Sharable
public final class EnvelopeEncoder extends MessageToByteEncoder<Envelope> {
    public static final String NAME = "envelope-encoder";

    private final int maxEnvelopeBytes;

    public EnvelopeEncoder(int maxEnvelopeBytes) {
        super(Envelope.class, false);
        this.maxEnvelopeBytes = WireLimits.checkMax(maxEnvelopeBytes);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Envelope msg, boolean preferDirect) {
        return ctx.alloc().heapBuffer(WireLimits.LENGTH_PREFIX_BYTES + msg.getSerializedSize());
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Envelope msg, ByteBuf out) throws IOException {
        int size = msg.getSerializedSize();
        if (size > maxEnvelopeBytes) {
            throw new EncoderException("envelope of " + size + " bytes exceeds " + maxEnvelopeBytes);
        }
        out.writeInt(size);
        out.ensureWritable(size);
        CodedOutputStream cos = CodedOutputStream.newInstance(out.array(), out.arrayOffset() + out.writerIndex(), size);
        msg.writeTo(cos);
        cos.checkNoSpaceLeft();
        out.writerIndex(out.writerIndex() + size);
    }
}
