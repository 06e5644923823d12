package org.protoblock.p2p.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.GetBlocks;
import org.protoblock.p2p.wire.proto.GetHeaders;

/**
 * Through real links: a peer that queues many GetBlocks at a slow server does not make another
 * peer's GetHeaders wait behind its whole backlog (the server's one thread serves peers in turn).
 */
class FairServingTest {
    private static final int FLOOD = 30;

    @TempDir
    Path dir;

    @Test
    void aPeerFloodingGetBlocksCannotStarveAnotherPeersGetHeaders() throws Exception {
        Devnet devnet = Devnet.create(1);
        List<ChainBlock> blocks = SyncFixtures.chain(devnet, devnet.genesis(), 200, 0);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir)) {
            TestNode server = net.addNode();
            TestNode flooder = net.addNode();
            TestNode honest = net.addNode();
            // all on one chain: no sync traffic of their own
            SyncFixtures.load(List.of(server.chain(), flooder.chain(), honest.chain()), blocks);
            server.p2p().sync().configure(server.p2p().sync().config().withServeDelay(Duration.ofMillis(500)));
            net.connect(flooder, server);
            net.connect(honest, server);
            Session flood = flooder.p2p().host().session(server.p2p().host().nodeId()).orElseThrow();
            Session fair = honest.p2p().host().session(server.p2p().host().nodeId()).orElseThrow();

            AtomicInteger floodAnswered = new AtomicInteger();
            List<CompletableFuture<Envelope>> floods = new ArrayList<>();
            for (int i = 0; i < FLOOD; i++) {
                GetBlocks.Builder get = GetBlocks.newBuilder();
                blocks.subList(i, i + 32).forEach(b -> get.addBlockIds(ByteString.copyFrom(b.id().toBytes())));
                CompletableFuture<Envelope> answer = flood.request(Envelope.newBuilder().setGetBlocks(get).build());
                answer.thenRun(floodAnswered::incrementAndGet);
                floods.add(answer);
            }
            Envelope headers = fair.request(Envelope.newBuilder().setGetHeaders(GetHeaders.newBuilder()
                    .addLocator(ByteString.copyFrom(devnet.genesis().id().toBytes()))).build())
                    .thenApply(e -> {
                        assertThat(floodAnswered.get()).as("flood answers before the honest GetHeaders").isLessThanOrEqualTo(3);
                        return e;
                    }).get(30, TimeUnit.SECONDS);
            assertThat(headers.getHeaders().getHeadersCount()).isEqualTo(blocks.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> floods.stream().allMatch(CompletableFuture::isDone));
            assertThat(floods).allMatch(f -> !f.isCompletedExceptionally()); // the flood is served too, within its share
        }
    }
}
