package org.protoblock.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.protoblock.fuzz.AllocationBudget;
import org.protoblock.fuzz.Chunks;
import org.protoblock.p2p.link.LinkException;
import org.protoblock.p2p.wire.proto.Envelope;

/**
 * The envelope framing a peer reaches right after Noise ({@link EnvelopeDecoder}, the node's
 * constructor), fed through an {@link EmbeddedChannel} in pieces cut by {@link Chunks}. Input:
 * the stream, then (from the end) a flag for "Hello accepted" and the cut seed.
 *
 * <p>Properties: the only failure is a {@link LinkException} (as the decoder's
 * {@link DecoderException} cause); after it no envelope comes out; every envelope fits the limit in
 * force and survives encode → decode; the same stream in one piece gives the same envelopes
 * (splitting must not change the answer); allocation stays linear in the input.
 */
class EnvelopeDecoderFuzzTest {
    private static final int MAX = WireLimits.DEFAULT_MAX_ENVELOPE_BYTES;

    @FuzzTest(maxDuration = "10s")
    void stream(FuzzedDataProvider data) throws Exception {
        boolean helloDone = data.consumeBoolean();
        long seed = data.consumeLong();
        byte[] stream = data.consumeRemainingAsBytes();
        AllocationBudget.check(stream.length, 64, () -> {
            Outcome split = decode(stream, Chunks.split(stream, seed), helloDone);
            Outcome whole = decode(stream, List.of(stream), helloDone);
            assertThat(split.envelopes).isEqualTo(whole.envelopes);
            assertThat(split.failed).isEqualTo(whole.failed);
        });
    }

    private record Outcome(List<Envelope> envelopes, boolean failed) {
    }

    private static Outcome decode(byte[] stream, List<byte[]> pieces, boolean helloDone) throws Exception {
        EnvelopeDecoder decoder = new EnvelopeDecoder(MAX, Duration.ofSeconds(30));
        if (helloDone) {
            decoder.helloDone();
        }
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(UnpooledByteBufAllocator.DEFAULT);
        channel.pipeline().addLast(decoder);
        Throwable failure = Chunks.feed(channel, pieces);
        List<Envelope> out = new ArrayList<>();
        for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
            out.add((Envelope) o);
        }
        if (failure != null) {
            Throwable cause = failure instanceof DecoderException && failure.getCause() != null ? failure.getCause() : failure;
            if (!(cause instanceof LinkException)) {
                throw new AssertionError("undeclared failure", failure);
            }
            if (channel.isOpen()) { // input after the failure is dropped
                channel.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(stream));
                assertThat((Object) channel.readInbound()).isNull();
            }
        }
        int limit = helloDone ? MAX : WireLimits.HANDSHAKE_MAX_ENVELOPE_BYTES;
        for (Envelope e : out) {
            byte[] encoded = e.toByteArray();
            assertThat(encoded.length).isLessThanOrEqualTo(limit);
            assertThat(Envelope.parseFrom(encoded)).isEqualTo(e);
        }
        Throwable atClose = Chunks.finish(channel);
        if (atClose != null) {
            throw new AssertionError("failure on close", atClose);
        }
        return new Outcome(out, failure != null);
    }
}
