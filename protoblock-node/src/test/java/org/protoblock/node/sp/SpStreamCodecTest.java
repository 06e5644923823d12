package org.protoblock.node.sp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The stream transports' codec (header exchange, framing) on an embedded channel, as a REP would see it. */
class SpStreamCodecTest {
    private static final int MAX = 64 * 1024;

    /** Collects the messages the codec delivers. */
    private static final class Collect extends SimpleChannelInboundHandler<ByteBuf> {
        final List<byte[]> messages = new ArrayList<>();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            messages.add(ByteBufUtil.getBytes(msg));
        }
    }

    private static EmbeddedChannel channel(SpFraming framing, Collect collect) {
        SpEndpoint endpoint = new SpEndpoint("test", SpProtocol.REP, MAX, () -> collect);
        EmbeddedChannel ch = new EmbeddedChannel();
        endpoint.initStream(ch.pipeline(), framing);
        return ch;
    }

    private static ByteBuf header(SpProtocol p) {
        return SpHeader.encode(p);
    }

    private static byte[] frame(SpFraming framing, byte[] payload) {
        ByteBuf buf = framing.prefix(Unpooled.buffer().alloc(), payload.length).writeBytes(payload);
        return ByteBufUtil.getBytes(buf);
    }

    @ParameterizedTest
    @EnumSource(SpFraming.class)
    void sendsItsHeaderFirstThenFramesReplies(SpFraming framing) {
        Collect collect = new Collect();
        EmbeddedChannel ch = channel(framing, collect);
        ch.runPendingTasks(); // flushes are consolidated on the event loop
        ByteBuf ours = ch.readOutbound();
        assertThat(HexFormat.of().formatHex(ByteBufUtil.getBytes(ours))).isEqualTo("0053500000310000");
        ch.writeInbound(header(SpProtocol.REQ));

        ch.writeOutbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        ch.runPendingTasks();

        ByteBuf prefix = ch.readOutbound();
        ByteBuf payload = ch.readOutbound();
        byte[] wire = new byte[prefix.readableBytes() + payload.readableBytes()];
        prefix.readBytes(wire, 0, prefix.readableBytes());
        payload.readBytes(wire, wire.length - 3, 3);
        assertThat(wire).isEqualTo(frame(framing, new byte[] {1, 2, 3}));
        assertThat(HexFormat.of().formatHex(wire)).isEqualTo(
                (framing == SpFraming.IPC ? "01" : "") + "0000000000000003010203");
    }

    /** Random messages, cut into random pieces (seeded): every message arrives whole and in order. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234567})
    void randomMessagesInRandomPiecesArriveWhole(long seed) {
        Random random = new Random(seed);
        for (SpFraming framing : SpFraming.values()) {
            Collect collect = new Collect();
            EmbeddedChannel ch = channel(framing, collect);
            List<byte[]> sent = new ArrayList<>();
            ByteBuf stream = Unpooled.buffer().writeBytes(header(SpProtocol.REQ));
            for (int i = 0; i < 50; i++) {
                byte[] payload = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(3000)];
                random.nextBytes(payload);
                sent.add(payload);
                stream.writeBytes(frame(framing, payload));
            }
            while (stream.isReadable()) {
                int piece = Math.min(stream.readableBytes(), 1 + random.nextInt(700));
                ch.writeInbound(stream.readRetainedSlice(piece));
            }

            assertThat(collect.messages).as("framing %s, seed %d", framing, seed).containsExactlyElementsOf(sent);
            assertThat(ch.isOpen()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(SpFraming.class)
    void aLengthAboveTheLimitClosesBeforeThePayloadArrives(SpFraming framing) {
        Collect collect = new Collect();
        EmbeddedChannel ch = channel(framing, collect);
        ch.writeInbound(header(SpProtocol.REQ));

        ByteBuf prefix = framing.prefix(Unpooled.buffer().alloc(), MAX + 1);
        ch.writeInbound(prefix);

        assertThat(ch.isOpen()).isFalse();
        assertThat(collect.messages).isEmpty();
    }

    @Test
    void aLengthWithTheTopBitSetCloses() {
        EmbeddedChannel ch = channel(SpFraming.TCP, new Collect());
        ch.writeInbound(header(SpProtocol.REQ));

        ch.writeInbound(Unpooled.buffer().writeLong(0xFFFFFFFFFFFFFFF0L).writeInt(7));

        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void anIpcMessageTypeOtherThanOneCloses() {
        EmbeddedChannel ch = channel(SpFraming.IPC, new Collect());
        ch.writeInbound(header(SpProtocol.REQ));

        ch.writeInbound(Unpooled.buffer().writeByte(2).writeLong(1).writeByte(9));

        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aPeerOfTheWrongProtocolIsClosed() {
        EmbeddedChannel ch = channel(SpFraming.TCP, new Collect());

        ch.writeInbound(header(SpProtocol.SUB));

        assertThat(ch.isOpen()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1603010200010001", "4e6f6973655f5858", "0053500100300000", "0053500000300001"})
    void bytesThatAreNotAnSpHeaderClose(String hex) {
        EmbeddedChannel ch = channel(SpFraming.TCP, new Collect());

        ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex)));

        assertThat(ch.isOpen()).isFalse();
    }

    /** Random garbage after a good header never delivers more than it framed, nor throws out of the pipeline. */
    @ParameterizedTest
    @ValueSource(longs = {7, 8, 9, 10, 11})
    void randomGarbageEitherFramesOrCloses(long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            Collect collect = new Collect();
            EmbeddedChannel ch = channel(SpFraming.TCP, collect);
            ch.writeInbound(header(SpProtocol.REQ));
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);

            ch.writeInbound(Unpooled.wrappedBuffer(garbage));

            int delivered = collect.messages.stream().mapToInt(m -> m.length + Long.BYTES).sum();
            assertThat(delivered).isLessThanOrEqualTo(garbage.length);
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void theHeaderHandlerLeavesOnceThePeerIsAccepted() {
        EmbeddedChannel ch = channel(SpFraming.TCP, new Collect());
        ch.writeInbound(header(SpProtocol.REQ));

        ChannelHandler handshake = ch.pipeline().get("sp-handshake");

        assertThat(handshake).isNull();
    }
}
