package org.protoblock.p2p.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import org.protoblock.fuzz.AllocationBudget;
import org.protoblock.fuzz.Chunks;
import org.protoblock.fuzz.FirstFailure;

/**
 * The first bytes of a connection to a relay's shared port ({@link CircuitSwitch}), cut into
 * arbitrary reads. Properties: nothing throws; a stream that leaves the circuit preamble at some
 * byte reaches the P2P stack whole and unchanged; the preamble with a token the relay does not
 * expect closes the connection and hands nothing on; with the expected token the connection stays
 * open as the circuit's first end and hands nothing on.
 */
class CircuitSwitchFuzzTest {
    /** The token the relay expects: seeds start with it, so the fuzzer also explores that branch. */
    static final byte[] TOKEN = new byte[CircuitPreamble.TOKEN_BYTES];

    static {
        Arrays.fill(TOKEN, (byte) 0x5a);
    }

    @FuzzTest(maxDuration = "10s")
    void preamble(FuzzedDataProvider data) throws Exception {
        long seed = data.consumeLong();
        byte[] stream = data.consumeRemainingAsBytes();
        AllocationBudget.check(stream.length, 64, () -> run(stream, seed));
    }

    private static void run(byte[] stream, long seed) {
        CircuitSwitch circuits = new CircuitSwitch(Duration.ofMinutes(1));
        boolean[] ended = new boolean[1];
        circuits.expect(TOKEN, CircuitBudget.RELAYED_LINK, (spliced, bytes) -> ended[0] = true);
        Recorder stack = new Recorder();
        FirstFailure errors = new FirstFailure();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(UnpooledByteBufAllocator.DEFAULT);
        channel.pipeline().addLast(circuits.initializer(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(stack);
            }
        }), errors);
        Throwable failure = Chunks.feed(channel, Chunks.split(stream, seed));
        boolean openAfterFeed = channel.isOpen();
        Throwable atClose = Chunks.finish(channel);
        for (Throwable t : new Throwable[] {failure, atClose, errors.first().orElse(null)}) {
            if (t != null) {
                throw new AssertionError("undeclared failure", t);
            }
        }
        int common = 0;
        while (common < Math.min(stream.length, CircuitPreamble.MAGIC.length) && stream[common] == CircuitPreamble.MAGIC[common]) {
            common++;
        }
        boolean leftPreamble = common < Math.min(stream.length, CircuitPreamble.MAGIC.length);
        if (leftPreamble) {
            assertThat(stack.bytes.toByteArray()).as("another protocol gets every byte").isEqualTo(stream);
        } else {
            assertThat(stack.bytes.size()).as("a circuit's bytes never reach the P2P stack").isZero();
        }
        if (!leftPreamble && stream.length >= CircuitPreamble.SIZE) {
            boolean expected = Arrays.equals(stream, CircuitPreamble.MAGIC.length, CircuitPreamble.SIZE, TOKEN, 0, TOKEN.length);
            assertThat(openAfterFeed).as("open only as the expected circuit's first end").isEqualTo(expected);
            assertThat(circuits.pendingCircuits()).isEqualTo(1);
            assertThat(circuits.openCircuits()).isZero();
        }
        circuits.expire(TOKEN);
        assertThat(ended[0]).as("the circuit's end is told once it expires").isTrue();
    }

    /** The P2P stack's place: keeps what it is handed. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                byte[] copy = new byte[buf.readableBytes()];
                buf.readBytes(copy);
                bytes.writeBytes(copy);
            } finally {
                buf.release();
            }
        }
    }
}
