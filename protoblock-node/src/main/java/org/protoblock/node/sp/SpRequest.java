package org.protoblock.node.sp;

import io.netty.buffer.ByteBuf;
import java.util.Optional;

/**
 * A request as REP receives it: the backtrace (the 32-bit words a REQ and any devices in between
 * put in front; the last one, the request id, has its top bit set) and the body after it. REP sends
 * the backtrace back unchanged in front of its reply, so the reply finds its way and its request.
 *
 * @param backtrace the words, request id last (a slice of the message, not retained)
 * @param body      the request (a slice of the message, not retained)
 */
public record SpRequest(ByteBuf backtrace, ByteBuf body) {
    /** nng's default hop limit: a message with more words before the request id is dropped. */
    public static final int MAX_HOPS = 8;

    /**
     * Splits {@code message}; empty when it has no request id within {@code maxHops} words (nng
     * drops such a message without answering).
     */
    public static Optional<SpRequest> parse(ByteBuf message, int maxHops) {
        int start = message.readerIndex();
        for (int hop = 0; hop < maxHops; hop++) {
            int at = start + hop * Integer.BYTES;
            if (message.writerIndex() - at < Integer.BYTES) {
                return Optional.empty();
            }
            if ((message.getInt(at) & 0x80000000) != 0) {
                int end = at + Integer.BYTES;
                return Optional.of(new SpRequest(message.slice(start, end - start),
                        message.slice(end, message.writerIndex() - end)));
            }
        }
        return Optional.empty();
    }
}
