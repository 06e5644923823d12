package org.protoblock.p2p.relay;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The first bytes of a circuit connection to a relay: {@link #MAGIC} then the 32-byte token the
 * relay issued. Rationale: "PBCIRC01" cannot be mistaken for a Noise message 1 (a 2-byte length
 * of a few dozen bytes, so a first byte 0) nor an SP header (first byte 0), so a relay tells the
 * three apart on its one port by the first byte.
 */
public final class CircuitPreamble {
    public static final byte[] MAGIC = "PBCIRC01".getBytes(StandardCharsets.US_ASCII);
    public static final int TOKEN_BYTES = 32;
    public static final int SIZE = MAGIC.length + TOKEN_BYTES;
    private static final SecureRandom RANDOM = new SecureRandom();

    private CircuitPreamble() {
    }

    static byte[] newToken() {
        byte[] token = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(token);
        return token;
    }

    static byte[] of(byte[] token) {
        if (token.length != TOKEN_BYTES) {
            throw new IllegalArgumentException("a circuit token has " + TOKEN_BYTES + " bytes, not " + token.length);
        }
        byte[] out = Arrays.copyOf(MAGIC, SIZE);
        System.arraycopy(token, 0, out, MAGIC.length, TOKEN_BYTES);
        return out;
    }

    /**
     * The first handler of a circuit connection on the client side: writes the preamble straight to
     * the socket when the connection is up, then leaves, before the handlers after it (the Noise
     * stack) see channelActive and write their first message.
     *
     * <p>Threads: the channel's event loop.
     */
    static final class Writer extends ChannelInboundHandlerAdapter {
        private final byte[] preamble;

        Writer(byte[] token) {
            this.preamble = of(token);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(preamble)); // from this context: below every other handler
            ctx.pipeline().remove(this);
            ctx.fireChannelActive();
        }
    }
}
