package org.protoblock.node.sp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The P2P port's first-bytes detector on an embedded channel. */
class SpPortSharingTest {
    /** Stands in for the P2P stack: records every byte it is given. */
    private static final class FakeP2p extends ChannelInitializer<Channel> {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        int installed;

        @Override
        protected void initChannel(Channel ch) {
            installed++;
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf b = (ByteBuf) msg;
                    received.writeBytes(ByteBufUtil.getBytes(b));
                    b.release();
                }
            });
        }
    }

    private final SpEndpoint rep = SpEndpoint.rep("rep", (request, from) -> CompletableFuture.completedFuture(new byte[] {0x50, 0x07}),
            new HostRateLimiter(100, 100, 10, System::nanoTime), 4096);

    private EmbeddedChannel channel(FakeP2p p2p) {
        return new EmbeddedChannel(new SpPortSharing(rep, 10).inbound(p2p));
    }

    private static ByteBuf hex(String h) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(h));
    }

    @Test
    void aPeerGetsTheP2pStackWithEveryByteItSent() {
        FakeP2p p2p = new FakeP2p();
        EmbeddedChannel ch = channel(p2p);

        ch.writeInbound(hex("0034")); // a Noise frame length: could still be SP after one byte, not after two
        ch.writeInbound(hex("aabbcc"));

        assertThat(p2p.installed).isEqualTo(1);
        assertThat(HexFormat.of().formatHex(p2p.received.toByteArray())).isEqualTo("0034aabbcc");
        assertThat((Object) ch.readOutbound()).as("no SP header sent to a peer").isNull();
    }

    @Test
    void aPrefixOfTheHeaderWaits() {
        FakeP2p p2p = new FakeP2p();
        EmbeddedChannel ch = channel(p2p);

        ch.writeInbound(hex("00535000"));

        assertThat(p2p.installed).isZero();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void aReqHeaderGetsTheRepService() {
        FakeP2p p2p = new FakeP2p();
        EmbeddedChannel ch = channel(p2p);

        ch.writeInbound(hex("0053500000300000" + "0000000000000006" + "80000001" + "5003"));
        ch.runPendingTasks();

        assertThat(p2p.installed).isZero();
        ByteBuf header = ch.readOutbound();
        assertThat(HexFormat.of().formatHex(ByteBufUtil.getBytes(header))).isEqualTo("0053500000310000");
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        for (ByteBuf b; (b = ch.readOutbound()) != null; b.release()) {
            reply.writeBytes(ByteBufUtil.getBytes(b));
        }
        assertThat(HexFormat.of().formatHex(reply.toByteArray())).isEqualTo("0000000000000006" + "80000001" + "5007");
    }

    @Test
    void anSpHeaderOfAnotherProtocolIsNotServedHere() {
        FakeP2p p2p = new FakeP2p();
        EmbeddedChannel ch = channel(p2p);

        ch.writeInbound(hex("0053500000210000"));

        assertThat(p2p.installed).as("not REQ: handed to P2P, which will fail its handshake").isEqualTo(1);
    }
}
