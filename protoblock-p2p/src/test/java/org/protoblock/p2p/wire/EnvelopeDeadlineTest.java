package org.protoblock.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkCloser;
import org.protoblock.p2p.link.LinkGuard;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.Ping;

/** The node decoder's per-envelope completion deadline and its small limit until Hello, on virtual time. */
class EnvelopeDeadlineTest {
    private static final int MAX = 4 * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final EnvelopeDecoder decoder = new EnvelopeDecoder(MAX, TIMEOUT);
    private final List<Envelope> decoded = new ArrayList<>();
    private final EmbeddedChannel ch = channel(decoder, decoded);

    EnvelopeDeadlineTest() {
        ch.freezeTime(); // only advance() moves the clock
    }

    /** The decoder, a recorder of what it decodes, and the guard that turns failures into closes. */
    private static EmbeddedChannel channel(EnvelopeDecoder decoder, List<Envelope> decoded) {
        return new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                decoded.add((Envelope) msg);
            }
        }, LinkGuard.INSTANCE);
    }

    private void advance(Duration d) {
        ch.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
    }

    private static ByteBuf framed(Envelope e) {
        byte[] body = e.toByteArray();
        return Unpooled.buffer().writeInt(body.length).writeBytes(body);
    }

    private DisconnectReason closedWith() {
        return LinkCloser.closedReason(ch).reason();
    }

    @Test
    void trickledBytesDoNotMoveTheDeadline() {
        decoder.helloDone();
        ch.writeInbound(Unpooled.buffer().writeInt(1000).writeBytes(new byte[10]));
        advance(TIMEOUT.dividedBy(2));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[10]));
        advance(TIMEOUT.dividedBy(2).minusMillis(1));
        assertThat(ch.isActive()).isTrue();
        advance(Duration.ofMillis(1));
        assertThat(ch.isActive()).isFalse();
        assertThat(closedWith()).isEqualTo(DisconnectReason.IDLE_TIMEOUT);
    }

    @Test
    void eachEnvelopeGetsItsOwnDeadline() {
        decoder.helloDone();
        ByteBuf first = framed(Envelope.newBuilder().setPing(Ping.newBuilder().setNonce(1)).build());
        ch.writeInbound(first.readRetainedSlice(3));
        advance(TIMEOUT.minusSeconds(1));
        ch.writeInbound(Unpooled.wrappedBuffer(first, Unpooled.buffer().writeInt(1000)));
        assertThat(decoded).hasSize(1);
        advance(TIMEOUT.minusSeconds(1));
        assertThat(ch.isActive()).as("the second envelope started late; its own deadline runs").isTrue();
        advance(Duration.ofSeconds(1));
        assertThat(closedWith()).isEqualTo(DisconnectReason.IDLE_TIMEOUT);
    }

    @Test
    void whileWePauseReadingTheDeadlineWaits() {
        decoder.helloDone();
        ch.writeInbound(Unpooled.buffer().writeInt(1000));
        ch.config().setAutoRead(false);
        advance(TIMEOUT.multipliedBy(3));
        assertThat(ch.isActive()).isTrue();
        ch.config().setAutoRead(true);
        advance(TIMEOUT);
        assertThat(closedWith()).isEqualTo(DisconnectReason.IDLE_TIMEOUT);
    }

    @Test
    void untilHelloOnlySmallEnvelopesThenTheFullLimit() {
        ch.writeInbound(Unpooled.buffer().writeInt(WireLimits.HANDSHAKE_MAX_ENVELOPE_BYTES + 1));
        assertThat(closedWith()).isEqualTo(DisconnectReason.PROTOCOL_ERROR);

        EnvelopeDecoder after = new EnvelopeDecoder(MAX, TIMEOUT);
        List<Envelope> afterDecoded = new ArrayList<>();
        EmbeddedChannel ok = channel(after, afterDecoded);
        after.helloDone();
        Envelope big = Envelope.newBuilder().setTxs(org.protoblock.p2p.wire.proto.Txs.newBuilder()
                .addTxs(com.google.protobuf.ByteString.copyFrom(new byte[2 * WireLimits.HANDSHAKE_MAX_ENVELOPE_BYTES])))
                .build();
        ok.writeInbound(framed(big));
        assertThat(afterDecoded).containsExactly(big);
        assertThat(ok.isActive()).isTrue();
    }
}
