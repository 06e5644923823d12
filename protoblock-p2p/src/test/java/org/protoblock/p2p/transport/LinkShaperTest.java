package org.protoblock.p2p.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Shaped in-process links: delays are lower bounds (a busy machine only adds), order is exact. */
class LinkShaperTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private final InProcessTransport transport = new InProcessTransport(1);

    /** A read: when, and its bytes (a link is a byte stream: writes may arrive merged). */
    private record Arrival(long nanos, byte[] bytes) {
    }

    private static Arrival arrival(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), bytes);
        return new Arrival(System.nanoTime(), bytes);
    }

    /** The first byte of each 100-byte block of the stream (each message's tag). */
    private static List<Integer> tags(List<Arrival> arrivals, int messageSize) {
        java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
        arrivals.forEach(a -> stream.writeBytes(a.bytes()));
        byte[] all = stream.toByteArray();
        List<Integer> tags = new java.util.ArrayList<>();
        for (int i = 0; i < all.length; i += messageSize) {
            tags.add((int) all[i]);
        }
        return tags;
    }

    private static int total(List<Arrival> arrivals) {
        return arrivals.stream().mapToInt(a -> a.bytes().length).sum();
    }

    @AfterEach
    void close() {
        transport.close();
    }

    /** Listens; records each read (time, first byte, size) and echoes it when {@code echo}. */
    private PeerAddress listener(List<Arrival> arrivals, boolean echo) throws Exception {
        ChannelInitializer<Channel> init = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf buf = (ByteBuf) msg;
                        arrivals.add(arrival(buf));
                        if (echo) {
                            ctx.writeAndFlush(buf);
                        } else {
                            buf.release();
                        }
                    }
                });
            }
        };
        return transport.listen(PeerAddress.local("shaper-test-" + NAMES.incrementAndGet()), init)
                .get(5, TimeUnit.SECONDS).address();
    }

    private Channel dial(PeerAddress to, LinkModel model, List<Arrival> replies) throws Exception {
        ChannelInitializer<Channel> init = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf buf = (ByteBuf) msg;
                        replies.add(arrival(buf));
                        buf.release();
                    }
                });
            }
        };
        return transport.shapedFor("dialer", model).dial(to, init, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
    }

    private static LinkModel uniform(LinkProfile profile) {
        return (dialer, listener) -> Optional.of(profile);
    }

    private static ByteBuf message(int tag, int size) {
        ByteBuf buf = Unpooled.buffer(size);
        buf.writeByte(tag);
        buf.writeZero(size - 1);
        return buf;
    }

    @Test
    void bothDirectionsTakeTheLatencyInOrder() throws Exception {
        List<Arrival> atListener = new CopyOnWriteArrayList<>();
        List<Arrival> atDialer = new CopyOnWriteArrayList<>();
        Channel ch = dial(listener(atListener, true), uniform(new LinkProfile(Duration.ofMillis(100), 0)), atDialer);
        long sent = System.nanoTime();
        for (int tag = 1; tag <= 3; tag++) {
            ch.writeAndFlush(message(tag, 100));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> total(atDialer) == 300);
        assertThat(tags(atListener, 100)).containsExactly(1, 2, 3);
        assertThat(tags(atDialer, 100)).containsExactly(1, 2, 3);
        assertThat(atListener.get(0).nanos() - sent).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(99));
        assertThat(atDialer.get(0).nanos() - sent).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(199));
        ch.close().sync();
    }

    @Test
    void bandwidthSerializesMessages() throws Exception {
        List<Arrival> atListener = new CopyOnWriteArrayList<>();
        Channel ch = dial(listener(atListener, false), uniform(new LinkProfile(Duration.ZERO, 1_000_000)),
                new CopyOnWriteArrayList<>());
        long sent = System.nanoTime();
        for (int tag = 1; tag <= 10; tag++) {
            ch.write(message(tag, 10_000)); // 10 ms each at 1 MB/s
        }
        ch.flush();
        await().atMost(Duration.ofSeconds(5)).until(() -> total(atListener) == 100_000);
        assertThat(tags(atListener, 10_000)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(atListener.get(0).nanos() - sent).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(9));
        // the last 10,000 bytes cannot arrive before 100 ms of wire time
        assertThat(atListener.get(atListener.size() - 1).nanos() - sent).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(99));
        ch.close().sync();
    }

    @Test
    void meterCountsDeliveredBytes() throws Exception {
        AtomicLong sentBytes = new AtomicLong();
        AtomicLong receivedBytes = new AtomicLong();
        LinkModel model = new LinkModel() {
            @Override
            public Optional<LinkProfile> profile(String dialer, String listener) {
                return Optional.of(new LinkProfile(Duration.ofMillis(5), 0));
            }

            @Override
            public LinkMeter meter(String dialer, String listener) {
                return new LinkMeter() {
                    @Override
                    public void sent(int bytes) {
                        sentBytes.addAndGet(bytes);
                    }

                    @Override
                    public void received(int bytes) {
                        receivedBytes.addAndGet(bytes);
                    }
                };
            }
        };
        List<Arrival> replies = new CopyOnWriteArrayList<>();
        Channel ch = dial(listener(new CopyOnWriteArrayList<>(), true), model, replies);
        ch.writeAndFlush(message(7, 300));
        await().atMost(Duration.ofSeconds(5)).until(() -> total(replies) == 300);
        assertThat(sentBytes.get()).isEqualTo(300);
        assertThat(receivedBytes.get()).isEqualTo(300);
        ch.close().sync();
    }

    @Test
    void unreachableListenerRefusesTheDial() throws Exception {
        PeerAddress to = listener(new CopyOnWriteArrayList<>(), false);
        LinkModel partitioned = (dialer, listener) -> Optional.empty();
        assertThatThrownBy(() -> dial(to, partitioned, new CopyOnWriteArrayList<>()))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void unshapedTransportIsUnchanged() throws Exception {
        List<Arrival> atListener = new CopyOnWriteArrayList<>();
        PeerAddress to = listener(atListener, false);
        Channel ch = transport.dial(to, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel c) {
            }
        }, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
        assertThat(ch.pipeline().get(LinkShaper.NAME)).isNull();
        ch.writeAndFlush(message(1, 10));
        await().atMost(Duration.ofSeconds(5)).until(() -> total(atListener) == 10);
        ch.close().sync();
    }
}
