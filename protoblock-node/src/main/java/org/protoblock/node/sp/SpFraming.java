package org.protoblock.node.sp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * How an SP stream transport delimits messages. tcp://: a 64-bit big-endian length. ipc:// (nng's
 * src/sp/transport/ipc/ipc.c): a one-byte message type, always 1, then the same length.
 */
public enum SpFraming {
    TCP(Long.BYTES),
    IPC(1 + Long.BYTES);

    public static final byte IPC_MESSAGE = 1;

    private final int prefixBytes;

    SpFraming(int prefixBytes) {
        this.prefixBytes = prefixBytes;
    }

    public int prefixBytes() {
        return prefixBytes;
    }

    /** The bytes written before a payload of {@code length} bytes. */
    public ByteBuf prefix(ByteBufAllocator alloc, int length) {
        ByteBuf buf = alloc.buffer(prefixBytes);
        if (this == IPC) {
            buf.writeByte(IPC_MESSAGE);
        }
        return buf.writeLong(length);
    }
}
