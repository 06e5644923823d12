package org.protoblock.node.sp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Optional;

/**
 * The 8-byte header each side of an SP stream connection (tcp://, ipc://) sends first:
 * {@code 00 53 50 00}, the sender's protocol id (16-bit big-endian), then {@code 00 00}.
 */
public final class SpHeader {
    public static final int SIZE = 8;
    /** The first four bytes; also how port unification tells an SP client from a Noise peer. */
    public static final int MAGIC = 0x00535000;

    private SpHeader() {
    }

    public static ByteBuf encode(SpProtocol protocol) {
        return Unpooled.buffer(SIZE).writeInt(MAGIC).writeShort(protocol.id()).writeShort(0);
    }

    /**
     * The sender's protocol id from the 8 bytes at the reader index (consumed), or empty when they
     * are not an SP header (wrong magic or non-zero reserved bytes). Needs {@link #SIZE} readable bytes.
     */
    public static Optional<Integer> decode(ByteBuf in) {
        int magic = in.readInt();
        int protocol = in.readUnsignedShort();
        int reserved = in.readUnsignedShort();
        return magic == MAGIC && reserved == 0 ? Optional.of(protocol) : Optional.empty();
    }
}
