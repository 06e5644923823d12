package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.protoblock.p2p.discovery.DiscoveryFixtures.fast;
import static org.protoblock.p2p.discovery.DiscoveryFixtures.outbound;
import static org.protoblock.p2p.discovery.DiscoveryFixtures.p2p;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.p2p.peer.PeerConfig;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;

/**
 * What the network simulator found: once a node's outbound slots are full, feelers are its only
 * new links, and a feeler closed right after the handshake let no chain through, so the halves of a
 * healed partition never met. A feeler to a peer with another head now stays while sync compares:
 * the node pulls the longer branch, and its own peers follow it.
 */
class FeelerAcrossBranchesTest {
    @TempDir
    Path dir;

    @Test
    void aFeelerMeetingAnotherBranchStaysUntilSyncHasPulledTheLongerOne() throws Exception {
        Devnet devnet = Devnet.create(2);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode producerA = net.addNode(net.producerConfig(0), p2p(), PeerConfig.manual(), Optional.empty());
            TestNode producerB = net.addNode(net.producerConfig(1), p2p(), PeerConfig.manual(), Optional.empty());
            producerA.chain().produceNow().get(30, TimeUnit.SECONDS);
            producerB.chain().produceNow().get(30, TimeUnit.SECONDS);
            producerB.chain().produceNow().get(30, TimeUnit.SECONDS);
            ChainHead longer = producerB.chain().head();
            assertThat(longer.num()).isEqualTo(2);

            // x fills its one outbound slot with A (the only address it knows), then hears of B.
            TestNode x = net.addNode(net.chainConfig(), p2p(), fast(1, List.of()).feelerInterval(Duration.ofMillis(300)).build(),
                    Optional.empty());
            x.p2p().discovery().learn(producerA.p2p().host().nodeId(), producerA.address());
            await().atMost(Duration.ofSeconds(20)).until(() -> outbound(x).size() == 1);
            net.awaitSameHead(List.of(x, producerA), Duration.ofSeconds(20));
            x.p2p().discovery().learn(producerB.p2p().host().nodeId(), producerB.address());

            // Only a feeler can reach B: through it x pulls B's longer branch, and A follows x.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> x.chain().head().equals(longer) && producerA.chain().head().equals(longer));
            assertThat(outbound(x)).hasSize(1).allMatch(p -> p.nodeId().equals(producerA.p2p().host().nodeId()));
        }
    }
}
