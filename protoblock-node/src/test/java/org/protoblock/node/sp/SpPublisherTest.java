package org.protoblock.node.sp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class SpPublisherTest {
    private static final int MESSAGE = 100 * 1024;

    /** A subscriber whose socket never drains: flushes stop here, so writes pile up in the outbound buffer. */
    private static EmbeddedChannel stalled() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                // the peer reads nothing
            }
        });
        ch.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, SpServer.WATER_MARK);
        return ch;
    }

    private static EmbeddedChannel fast() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, SpServer.WATER_MARK);
        return ch;
    }

    @Test
    void aStalledSubscriberMissesMessagesAndHoldsAtMostTheWaterMark() {
        SpPublisher publisher = new SpPublisher("blocks", 10);
        EmbeddedChannel slow = stalled();
        EmbeddedChannel quick = fast();
        publisher.subscribe(slow);
        publisher.subscribe(quick);

        for (int i = 0; i < 100; i++) {
            publisher.publish(new byte[MESSAGE]);
            slow.runPendingTasks(); // the fan-out runs on each subscriber's event loop
            quick.runPendingTasks();
        }

        int received = 0;
        for (ByteBuf m; (m = quick.readOutbound()) != null; m.release()) {
            received++;
        }
        assertThat(received).isEqualTo(100);
        long held = slow.unsafe().outboundBuffer().totalPendingWriteBytes();
        assertThat(held).isLessThanOrEqualTo(SpServer.WATER_MARK.high() + MESSAGE);
        assertThat(publisher.dropped()).isGreaterThanOrEqualTo(100 - (SpServer.WATER_MARK.high() / MESSAGE + 1));
        slow.close(); // fails the held writes, as a socket closing would
    }

    @Test
    void aBatchArrivesInOrder() {
        SpPublisher publisher = new SpPublisher("txs", 10);
        EmbeddedChannel a = fast();
        publisher.subscribe(a);

        publisher.publish(java.util.List.of(new byte[] {1}, new byte[] {2}, new byte[] {3}));
        a.runPendingTasks();

        for (int expected = 1; expected <= 3; expected++) {
            ByteBuf m = a.readOutbound();
            assertThat(m.readByte()).isEqualTo((byte) expected);
            m.release();
        }
        assertThat(publisher.published()).isEqualTo(3);
    }

    @Test
    void subscribersBeyondTheCapAreClosed() {
        SpPublisher publisher = new SpPublisher("txs", 2);
        EmbeddedChannel a = fast();
        EmbeddedChannel b = fast();
        EmbeddedChannel c = fast();

        assertThat(publisher.subscribe(a)).isTrue();
        assertThat(publisher.subscribe(b)).isTrue();
        assertThat(publisher.subscribe(c)).isFalse();

        assertThat(c.isOpen()).isFalse();
        assertThat(publisher.subscriberCount()).isEqualTo(2);
        a.close();
        assertThat(publisher.subscriberCount()).isEqualTo(1);
    }

    @Test
    void everySubscriberGetsTheSameBytes() {
        SpPublisher publisher = new SpPublisher("blocks", 10);
        EmbeddedChannel a = fast();
        EmbeddedChannel b = fast();
        publisher.subscribe(a);
        publisher.subscribe(b);

        publisher.publish(new byte[] {1, 2, 3});
        a.runPendingTasks();
        b.runPendingTasks();

        for (EmbeddedChannel ch : new EmbeddedChannel[] {a, b}) {
            ByteBuf m = ch.readOutbound();
            assertThat(io.netty.buffer.ByteBufUtil.getBytes(m)).containsExactly(1, 2, 3);
            m.release();
        }
    }
}
