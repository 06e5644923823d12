package org.protoblock.node.sp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.ReferenceCountUtil;
import org.protoblock.fuzz.AllocationBudget;
import org.protoblock.fuzz.Chunks;

/**
 * The nng/SP client side of the node: a tcp:// or ipc:// stream (header exchange
 * {@link SpHandshakeHandler} for REP, then {@link SpFrameDecoder}) and the ws:// transport (Netty's
 * WebSocket frame decoder as the upgrade installs it, then {@link SpWebSocketCodec}); each message
 * goes through {@link SpRequest#parse} as the REP handler does. Input: the stream, then (from the
 * end) the transport and the cut seed.
 *
 * <p>Properties: the only failures are Netty's decoder exceptions (the pipeline's error handler
 * closes on them); each message is within the limit; a parsed request's backtrace is whole 32-bit
 * words ending in the id with its top bit set, at most {@value SpRequest#MAX_HOPS} words, and with the
 * body it covers the message; allocation stays linear.
 */
class SpDecodersFuzzTest {
    static final int MAX_MESSAGE = 64 * 1024;

    @FuzzTest(maxDuration = "10s")
    void stream(FuzzedDataProvider data) throws Exception {
        int transport = data.consumeInt(0, 2);
        long seed = data.consumeLong();
        byte[] stream = data.consumeRemainingAsBytes();
        AllocationBudget.check(stream.length, 64, () -> run(transport, stream, seed));
    }

    private static void run(int transport, byte[] stream, long seed) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(UnpooledByteBufAllocator.DEFAULT);
        if (transport == 2) {
            channel.pipeline().addLast(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                    .expectMaskedFrames(true).allowExtensions(false).maxFramePayloadLength(MAX_MESSAGE).build()));
            channel.pipeline().addLast(SpWebSocketCodec.INSTANCE);
        } else {
            SpFraming framing = transport == 0 ? SpFraming.TCP : SpFraming.IPC;
            channel.pipeline().addLast(new SpHandshakeHandler(SpProtocol.REP), new SpFrameDecoder(framing, MAX_MESSAGE));
        }
        FirstFailure errors = new FirstFailure();
        channel.pipeline().addLast(new Requests(), errors);
        Throwable failure = Chunks.feed(channel, Chunks.split(stream, seed));
        for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
            ReferenceCountUtil.release(o);
        }
        Throwable atClose = Chunks.finish(channel);
        for (Throwable t : new Throwable[] {failure, atClose, errors.first}) {
            if (t != null && !(t instanceof DecoderException)) {
                throw new AssertionError("undeclared failure", t);
            }
        }
    }

    /** What SpRepHandler does with a message: split off the backtrace; checks it, releases. */
    private static final class Requests extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf message = (ByteBuf) msg;
            try {
                assertThat(message.readableBytes()).isLessThanOrEqualTo(MAX_MESSAGE);
                SpRequest.parse(message, SpRequest.MAX_HOPS).ifPresent(r -> {
                    int words = r.backtrace().readableBytes() / Integer.BYTES;
                    assertThat(r.backtrace().readableBytes() % Integer.BYTES).isZero();
                    assertThat(words).isBetween(1, SpRequest.MAX_HOPS);
                    assertThat(r.backtrace().getInt(r.backtrace().writerIndex() - Integer.BYTES) & 0x80000000).isNotZero();
                    assertThat(r.backtrace().readableBytes() + r.body().readableBytes()).isEqualTo(message.readableBytes());
                });
            } finally {
                message.release();
            }
        }
    }

    /**
     * Last in the pipeline as {@link SpErrorHandler} is: the first exception closes the channel. Keeps
     * the first for the checks (EmbeddedChannel would log every further one with its stack trace).
     */
    private static final class FirstFailure extends ChannelInboundHandlerAdapter {
        Throwable first;

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (first == null) {
                first = cause;
            }
            ctx.close();
        }
    }
}
