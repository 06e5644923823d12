package org.protoblock.node.sp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.proto.Block;
import org.protoblock.node.app.NodeApp;
import org.protoblock.node.testing.LocalNet;
import org.protoblock.node.wallet.NonceSource;
import org.protoblock.node.wallet.TxFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PUB under load: 1,000 subscribers on the blocks topic that never read (small receive buffers), one
 * that reads, and a peer syncing from the node. The reader gets every block within a second of its
 * production, the peer keeps up, and the stalled subscribers lose blocks instead of the node
 * queueing them or copying them per subscriber.
 */
class ManySubscribersTest {
    private static final Logger log = LoggerFactory.getLogger(ManySubscribersTest.class);
    private static final int STALLED = 1000;
    private static final int BLOCKS = 20;
    private static final int TXS_PER_BLOCK = 300;
    private static final TxFactory TX = new TxFactory(NonceSource.system());

    private static final long MAX_DIRECT_GROWTH = 32L * 1024 * 1024;

    @TempDir
    Path dir;

    /** The JVM's direct buffers in use (Netty's native transport writes only direct memory). */
    private static long directMemoryUsed() {
        return java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed)
                .sum();
    }

    @Test
    void stalledSubscribersCostTheReaderAndThePeerNothing() throws Exception {
        assumeTrue(StalledSubscribers.maxOpenFiles() >= 4L * STALLED, "needs `ulimit -n` of at least " + 4 * STALLED);
        try (StalledSubscribers stalled = new StalledSubscribers(); LocalNet net = new LocalNet(dir)) {
            NodeApp node = net.start(spec -> spec.withSp(SpSettings.local()));
            NodeApp peer = net.start();
            peer.p2p().dial(node.p2pAddress()).get(10, TimeUnit.SECONDS);
            SpPublisher topic = node.clientEndpoints().blockTopic().orElseThrow();
            URI blocks = URI.create(node.clientEndpoints().urls().get("blocks"));
            long directBefore = directMemoryUsed();
            stalled.connect(blocks.toString(), STALLED);
            try (Socket reader = new Socket(blocks.getHost(), blocks.getPort())) {
                reader.setSoTimeout(5000);
                reader.getOutputStream().write(StalledSubscribers.SUB_HEADER);
                DataInputStream in = new DataInputStream(reader.getInputStream());
                in.readFully(new byte[8]);
                await().atMost(Duration.ofSeconds(30)).until(() -> topic.subscriberCount() == STALLED + 1);

                long worstNanos = 0;
                for (int b = 0; b < BLOCKS; b++) {
                    for (int t = 0; t < TXS_PER_BLOCK; t++) {
                        node.chain().submitTransaction(TX.nameRegistration("many-" + b + "-" + t, KeyPair.generate()))
                                .get(10, TimeUnit.SECONDS);
                    }
                    long start = System.nanoTime();
                    int num = node.chain().produceNow().get(10, TimeUnit.SECONDS).orElseThrow().newHead().num();
                    int received;
                    do { // the producer's timer may have made a block of its own meanwhile
                        byte[] message = new byte[(int) in.readLong()];
                        in.readFully(message);
                        received = Block.parseFrom(message, ChainCodec.EXTENSIONS).getSignedhead().getHead().getNum();
                    } while (received < num);
                    worstNanos = Math.max(worstNanos, System.nanoTime() - start);
                    assertThat(received).isEqualTo(num);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> peer.chain().head().equals(node.chain().head()));

                log.info("{} stalled subscribers: worst block delivery {} ms, {} messages sent, {} dropped",
                        STALLED, worstNanos / 1_000_000, topic.published(), topic.dropped());
                assertThat(Duration.ofNanos(worstNanos)).isLessThan(Duration.ofSeconds(1));
                assertThat(topic.dropped()).as("stalled subscribers lost blocks").isPositive();
                // One shared copy per block, not one per subscriber (a per-subscriber copy: > 64 MB here).
                assertThat(directMemoryUsed() - directBefore).as("direct memory held for %d subscribers", STALLED)
                        .isLessThan(MAX_DIRECT_GROWTH);
            }
        }
    }
}
