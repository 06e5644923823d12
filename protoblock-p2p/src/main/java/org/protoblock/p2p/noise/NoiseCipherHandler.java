package org.protoblock.p2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.PromiseCombiner;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkException;

/**
 * Noise transport phase. Inbound: each frame is one Noise message, decrypted to plaintext bytes.
 * Outbound: plaintext of any length is cut into messages of at most {@link NoiseCiphers#MAX_PLAINTEXT}
 * bytes, so an upper-layer message may span several Noise messages.
 *
 * <p>Owned by the channel's event loop. Consumes (releases) every buffer it is given.
 */
public final class NoiseCipherHandler extends ChannelDuplexHandler {
    public static final String NAME = "noise";

    private final NoiseCiphers ciphers;
    private byte[] scratch;

    NoiseCipherHandler(NoiseCiphers ciphers) {
        this.ciphers = ciphers;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        int len = frame.readableBytes();
        ByteBuf plain = ctx.alloc().heapBuffer(len);
        try {
            plain.writeBytes(frame);
        } finally {
            frame.release();
        }
        try {
            int n = ciphers.decrypt(plain.array(), plain.arrayOffset() + plain.readerIndex(), len);
            plain.writerIndex(plain.readerIndex() + n);
        } catch (NoiseException e) {
            plain.release();
            throw new LinkException(DisconnectReason.PROTOCOL_ERROR, e.getMessage());
        }
        if (plain.isReadable()) {
            ctx.fireChannelRead(plain);
        } else {
            plain.release();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf plain)) {
            ctx.write(msg, promise);
            return;
        }
        try {
            if (!plain.isReadable()) {
                promise.setSuccess();
                return;
            }
            if (plain.readableBytes() <= NoiseCiphers.MAX_PLAINTEXT) {
                ctx.write(encrypt(ctx, plain, plain.readableBytes()), promise);
                return;
            }
            PromiseCombiner combiner = new PromiseCombiner(ctx.executor());
            while (plain.isReadable()) {
                combiner.add(ctx.write(encrypt(ctx, plain, Math.min(plain.readableBytes(), NoiseCiphers.MAX_PLAINTEXT))));
            }
            combiner.finish(promise);
        } finally {
            plain.release();
        }
    }

    /** Encrypts the next {@code len} readable bytes of {@code plain} into a new buffer. */
    private ByteBuf encrypt(ChannelHandlerContext ctx, ByteBuf plain, int len) {
        byte[] in;
        int off;
        if (plain.hasArray()) {
            in = plain.array();
            off = plain.arrayOffset() + plain.readerIndex();
        } else {
            if (scratch == null) {
                scratch = new byte[NoiseCiphers.MAX_PLAINTEXT];
            }
            plain.getBytes(plain.readerIndex(), scratch, 0, len);
            in = scratch;
            off = 0;
        }
        ByteBuf out = ctx.alloc().heapBuffer(len + NoiseHandshake.TAG_BYTES);
        int n = ciphers.encrypt(in, off, len, out.array(), out.arrayOffset() + out.writerIndex());
        out.writerIndex(out.writerIndex() + n);
        plain.skipBytes(len);
        return out;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        ciphers.destroy();
    }
}
