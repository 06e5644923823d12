package org.protoblock.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkException;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.Ping;
import org.protoblock.p2p.wire.proto.Txs;

class EnvelopeCodecTest {
    private static final int MAX = 64 * 1024;

    private static List<Envelope> randomEnvelopes(Random rnd, int count) {
        List<Envelope> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Envelope.Builder b = Envelope.newBuilder().setRequestId(rnd.nextInt(4) == 0 ? 0 : rnd.nextLong() & Long.MAX_VALUE);
            int kind = rnd.nextInt(3);
            if (kind == 0) {
                b.setPing(Ping.newBuilder().setNonce(rnd.nextLong()));
            } else if (kind == 1) {
                byte[] shortIds = new byte[4 * rnd.nextInt(64)]; // an announcement by short ids, maybe empty
                rnd.nextBytes(shortIds);
                b.setTxShortIds(ByteString.copyFrom(shortIds));
            } else {
                byte[] tx = new byte[rnd.nextInt(rnd.nextInt(10) == 0 ? MAX - 100 : 300)];
                rnd.nextBytes(tx);
                b.setTxs(Txs.newBuilder().addTxs(ByteString.copyFrom(tx)));
            }
            list.add(b.build());
        }
        return list;
    }

    private static ByteBuf encodeAll(List<Envelope> envelopes) {
        EmbeddedChannel enc = new EmbeddedChannel(new EnvelopeEncoder(MAX));
        envelopes.forEach(enc::writeOutbound);
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b; (b = enc.readOutbound()) != null; ) {
            all.writeBytes(b);
            b.release();
        }
        enc.finishAndReleaseAll();
        return all;
    }

    /** Property: however the byte stream is cut, the same envelopes come out in order. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234, 99999, 7_777_777, -5})
    void anySplitOfTheStreamDecodesTheSameEnvelopes(long seed) {
        Random rnd = new Random(seed);
        List<Envelope> sent = randomEnvelopes(rnd, 40);
        ByteBuf wire = encodeAll(sent);
        EmbeddedChannel dec = new EmbeddedChannel(new EnvelopeDecoder(MAX));
        while (wire.isReadable()) {
            int n = Math.min(wire.readableBytes(), 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 20_000));
            dec.writeInbound(wire.readRetainedSlice(n));
        }
        wire.release();
        List<Envelope> received = new ArrayList<>();
        for (Envelope e; (e = dec.readInbound()) != null; ) {
            received.add(e);
        }
        assertThat(received).isEqualTo(sent);
        assertThat(dec.finish()).isFalse();
    }

    @Test
    void oversizedDeclaredLengthFailsBeforeTheBodyArrives() {
        EmbeddedChannel dec = new EmbeddedChannel(new EnvelopeDecoder(MAX));
        ByteBuf header = Unpooled.buffer().writeInt(Integer.MAX_VALUE);
        assertThatThrownBy(() -> dec.writeInbound(header))
                .isInstanceOf(DecoderException.class)
                .cause().isInstanceOfSatisfying(LinkException.class,
                        e -> assertThat(e.reason()).isEqualTo(DisconnectReason.PROTOCOL_ERROR));
        // Later input is dropped, not buffered.
        dec.writeInbound(Unpooled.wrappedBuffer(new byte[10_000]));
        Object none = dec.readInbound();
        assertThat(none).isNull();
        dec.finishAndReleaseAll();
    }

    @Test
    void lengthOfExactlyTheMaximumIsAccepted() {
        byte[] tx = new byte[MAX - 10];
        Envelope e = Envelope.newBuilder().setTxs(Txs.newBuilder().addTxs(ByteString.copyFrom(tx))).build();
        assertThat(e.getSerializedSize()).isLessThanOrEqualTo(MAX);
        EmbeddedChannel dec = new EmbeddedChannel(new EnvelopeDecoder(MAX));
        dec.writeInbound(encodeAll(List.of(e)));
        assertThat((Envelope) dec.readInbound()).isEqualTo(e);
        dec.finishAndReleaseAll();
    }

    @Test
    void malformedBodyIsAProtocolError() {
        EmbeddedChannel dec = new EmbeddedChannel(new EnvelopeDecoder(MAX));
        ByteBuf garbage = Unpooled.buffer().writeInt(6).writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        assertThatThrownBy(() -> dec.writeInbound(garbage)).cause().isInstanceOf(LinkException.class);
        dec.finishAndReleaseAll();
    }

    @Test
    void truncatedEnvelopeWaitsWithoutOutput() {
        EmbeddedChannel dec = new EmbeddedChannel(new EnvelopeDecoder(MAX));
        ByteBuf part = Unpooled.buffer().writeInt(1000).writeBytes(new byte[10]);
        dec.writeInbound(part);
        Object none = dec.readInbound();
        assertThat(none).isNull();
        dec.finishAndReleaseAll();
    }

    @Test
    void unknownBodyFieldsParseAsBodyNotSet() {
        // Field 99, length-delimited: a message type from a newer peer.
        ByteBuf wire = Unpooled.buffer().writeInt(4).writeBytes(new byte[] {(byte) 0x9a, 0x06, 0x01, 0x00});
        EmbeddedChannel dec = new EmbeddedChannel(new EnvelopeDecoder(MAX));
        dec.writeInbound(wire);
        Envelope e = dec.readInbound();
        assertThat(e.getBodyCase()).isEqualTo(Envelope.BodyCase.BODY_NOT_SET);
        dec.finishAndReleaseAll();
    }

    @Test
    void encoderRefusesEnvelopesAboveTheMaximum() {
        EmbeddedChannel enc = new EmbeddedChannel(new EnvelopeEncoder(MAX));
        Envelope big = Envelope.newBuilder().setTxs(Txs.newBuilder().addTxs(ByteString.copyFrom(new byte[MAX + 1]))).build();
        assertThat(enc.writeOneOutbound(big).isSuccess()).isFalse();
        enc.finishAndReleaseAll();
    }
}
