package org.protoblock.p2p.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;

/**
 * With several peers on the chain, header batches come from them in turn (one look-ahead request
 * while the previous batch is validated), and no batch is fetched twice.
 */
class HeadersFromSeveralPeersTest {
    @TempDir
    Path dir;

    @Test
    void eightHeaderBatchesComeFromThreePeersInTurn() throws Exception {
        Devnet devnet = Devnet.create(1);
        List<ChainBlock> blocks = SyncFixtures.chain(devnet, devnet.genesis(), 15_000, 0);
        ChainBlock last = blocks.get(blocks.size() - 1);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            List<TestNode> peers = List.of(net.addNode(), net.addNode(), net.addNode());
            SyncFixtures.load(peers.stream().map(TestNode::chain).toList(), blocks);
            TestNode fresh = net.addNode();
            // room for the whole header chain, so every full batch has a look-ahead whatever the apply speed
            fresh.p2p().sync().configure(fresh.p2p().sync().config().withMaxHeadersAhead(20_000));
            for (TestNode peer : peers) {
                net.connect(fresh, peer);
            }
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                    .until(() -> fresh.chain().head().id().equals(last.id()));

            assertThat(fresh.p2p().metrics().headersReceived.sum()).isEqualTo(blocks.size());
            List<Long> served = peers.stream().map(p -> p.p2p().metrics().headersServed.sum()).toList();
            // 8 batches: the first two from the first source, the other six in turn (two each); one source alone
            // would leave the others at most their first comparison's 2,000
            assertThat(served).allMatch(n -> n >= 2 * SyncConfig.MAX_HEADERS, "each peer served two batches: " + served);
            // bounded: every batch once, plus at most one first comparison per peer
            assertThat(served.stream().mapToLong(Long::longValue).sum())
                    .isLessThanOrEqualTo(blocks.size() + (long) peers.size() * SyncConfig.MAX_HEADERS);
        }
    }
}
