package org.protoblock.node.sp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Splits an SP stream into messages: per message an optional one-byte type (ipc:// writes
 * {@link SpFraming#IPC_MESSAGE}, tcp:// nothing), a 64-bit big-endian length, then the payload.
 * A length above the bound (checked before anything is buffered for the payload), a negative one
 * or a wrong type byte fails the stream: the pipeline's error handler closes the connection.
 * Emits each payload as a retained slice.
 *
 * <p>Threads: the channel's event loop.
 */
public final class SpFrameDecoder extends ByteToMessageDecoder {
    private final SpFraming framing;
    private final int maxMessageBytes;

    public SpFrameDecoder(SpFraming framing, int maxMessageBytes) {
        this.framing = framing;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int prefix = framing.prefixBytes();
        if (in.readableBytes() < prefix) {
            return;
        }
        int start = in.readerIndex();
        if (framing == SpFraming.IPC && in.getByte(start) != SpFraming.IPC_MESSAGE) {
            throw new CorruptedFrameException("ipc message type " + in.getByte(start) + ", expected 1");
        }
        long length = in.getLong(start + prefix - Long.BYTES);
        if (length < 0 || length > maxMessageBytes) {
            throw new TooLongFrameException("SP message of " + Long.toUnsignedString(length) + " bytes, limit "
                    + maxMessageBytes);
        }
        if (in.readableBytes() < prefix + length) {
            return;
        }
        in.skipBytes(prefix);
        out.add(in.readRetainedSlice((int) length));
    }
}
