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
 * Through real links: a peer that queues many GetBlocks at a slow server gets only its share of the
 * serving queue (the rest BUSY), and another peer's GetHeaders is still queued and answered. The
 * order of serving (peers in turn) is {@code SyncServerTest}'s, where the server's side is observed.
 */
class FairServingTest {
    /** Over the flooder's share of the serving queue (32), under the session's unanswered-request cap (64). */
    private static final int FLOOD = 48;

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

            List<CompletableFuture<Envelope>> floods = new ArrayList<>();
            for (int i = 0; i < FLOOD; i++) {
                GetBlocks.Builder get = GetBlocks.newBuilder();
                blocks.subList(i, i + 32).forEach(b -> get.addBlockIds(ByteString.copyFrom(b.id().toBytes())));
                floods.add(flood.request(Envelope.newBuilder().setGetBlocks(get).build()));
            }
            Envelope headers = fair.request(Envelope.newBuilder().setGetHeaders(GetHeaders.newBuilder()
                    .addLocator(ByteString.copyFrom(devnet.genesis().id().toBytes()))).build()).get(30, TimeUnit.SECONDS);
            assertThat(headers.getHeaders().getHeadersCount()).isEqualTo(blocks.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> floods.stream().allMatch(CompletableFuture::isDone));
            long busy = floods.stream().filter(CompletableFuture::isCompletedExceptionally).count();
            int share = SyncServer.perPeerBound(server.p2p().sync().config());
            assertThat(busy).as("flood requests beyond the flooder's share refused").isEqualTo(FLOOD - share);
            assertThat(flood.isOpen()).isTrue(); // refused, not punished: it stayed within the protocol's request cap
        }
    }
}
