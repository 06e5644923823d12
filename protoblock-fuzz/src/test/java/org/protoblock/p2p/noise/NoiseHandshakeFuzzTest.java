package org.protoblock.p2p.noise;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.Arrays;
import java.util.Optional;
import org.protoblock.fuzz.AllocationBudget;
import org.protoblock.fuzz.Chunks;
import org.protoblock.fuzz.FirstFailure;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.link.LinkException;

/**
 * The Noise stage a dialer or an accepted socket reaches first: {@link NoiseFraming}'s 2-byte
 * frames and {@link NoiseHandshakeHandler} (crypto inline) as responder (reads message 1 with its
 * clear prologue, then message 3) or initiator (sent message 1, reads message 2), fed arbitrary
 * bytes in pieces. Input: the stream, then (from the end) the role and the cut seed. Beyond the
 * first message everything is authenticated, so the fuzzer mainly explores framing, the prologue
 * parse and the state machine's order checks; the seeds carry a real message 1.
 *
 * <p>Properties: a failure is a {@link LinkException} or a framing {@link DecoderException}
 * (nothing else leaves); no handshake completes on forged bytes; allocation stays bounded.
 */
class NoiseHandshakeFuzzTest {
    static final NodeKey LOCAL = NodeKey.fromPrivateKey(key((byte) 1));
    static final NoisePrologue PROLOGUE = new NoisePrologue(1, "mainnet");

    @FuzzTest(maxDuration = "10s")
    void handshake(FuzzedDataProvider data) throws Exception {
        boolean initiator = data.consumeBoolean();
        long seed = data.consumeLong();
        byte[] stream = data.consumeRemainingAsBytes();
        AllocationBudget.check(stream.length, 64, () -> run(initiator, stream, seed));
    }

    private static void run(boolean initiator, byte[] stream, long seed) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(UnpooledByteBufAllocator.DEFAULT);
        NoiseHandshakeHandler handler = new NoiseHandshakeHandler(LOCAL, PROLOGUE, initiator, Optional.empty());
        NoiseFraming.addTo(channel.pipeline(), handler);
        FirstFailure guard = new FirstFailure();
        channel.pipeline().addLast(guard);
        Throwable fed = Chunks.feed(channel, Chunks.split(stream, seed));
        Throwable failure = fed != null ? fed : guard.first().orElse(null);
        boolean secure = channel.pipeline().get(NoiseCipherHandler.class) != null;
        for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
            ((ByteBuf) o).release();
        }
        Throwable atClose = Chunks.finish(channel);
        for (Throwable t : new Throwable[] {failure, atClose}) {
            if (t != null && !(t instanceof LinkException) && !(t instanceof DecoderException)) {
                throw new AssertionError("undeclared failure", t);
            }
        }
        if (secure) {
            throw new AssertionError("handshake completed on forged bytes");
        }
    }

    static byte[] key(byte fill) {
        byte[] k = new byte[NodeKey.KEY_BYTES];
        Arrays.fill(k, fill);
        return k;
    }
}
