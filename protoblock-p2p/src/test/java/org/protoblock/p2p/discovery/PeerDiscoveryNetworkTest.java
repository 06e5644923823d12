package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.protoblock.p2p.discovery.DiscoveryFixtures.connected;
import static org.protoblock.p2p.discovery.DiscoveryFixtures.fast;
import static org.protoblock.p2p.discovery.DiscoveryFixtures.outbound;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.p2p.peer.PeerConfig;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;

/**
 * Bootstrap from one seed: every node reaches its outbound target, the peer graph is connected,
 * and it stays so when the seed leaves; a newcomer joins through a non-seed address. Loopback
 * TCP and in-memory stores: the 30 nodes settle in about 2 s. (This test once exposed flushes
 * lost on in-process links under bursts of simultaneous dials; see LinkInitializer.) The target
 * is 4 (not the default 8 + 2) so that 30 nodes on 2 cores settle quickly; the mechanism is the
 * same.
 */
class PeerDiscoveryNetworkTest {
    private static final int TARGET = 4;

    @TempDir
    Path dir;

    @Test
    void thirtyNodesFromOneSeedReachTheirTargetsAndSurviveTheSeedLeaving() throws Exception {
        run(30, Duration.ofSeconds(60));
    }

    @Test
    @Tag("slow")
    void hundredNodesFromOneSeed() throws Exception {
        run(100, Duration.ofMinutes(3));
    }

    private void run(int size, Duration settle) throws Exception {
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir)) {
            TestNode seed = net.addNode(net.chainConfig(), DiscoveryFixtures.p2p(),
                    fast(TARGET, List.of()).build(), Optional.empty());
            PeerConfig viaSeed = fast(TARGET, List.of(seed.address())).build();
            for (int i = 1; i < size; i++) {
                net.addNode(net.chainConfig(), DiscoveryFixtures.p2p(), viaSeed, Optional.empty());
            }
            long start = System.nanoTime();
            await().atMost(settle).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                for (TestNode n : net.nodes()) {
                    assertThat(outbound(n)).as("outbound of %s", n).hasSizeGreaterThanOrEqualTo(TARGET);
                }
                assertThat(connected(net.nodes())).isTrue();
            });
            System.out.printf("%d nodes reached %d outbound each, connected, in %d ms%n", size, TARGET,
                    (System.nanoTime() - start) / 1_000_000);

            seed.stop();
            List<TestNode> rest = net.nodes().stream().filter(TestNode::isRunning).toList();
            await().atMost(settle).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                for (TestNode n : rest) {
                    assertThat(outbound(n)).as("outbound of %s", n).hasSizeGreaterThanOrEqualTo(TARGET);
                }
                assertThat(connected(rest)).isTrue();
            });

            TestNode friend = rest.get(rest.size() / 2);
            TestNode newcomer = net.addNode(net.chainConfig(), DiscoveryFixtures.p2p(),
                    fast(TARGET, List.of(friend.address())).build(), Optional.empty());
            List<TestNode> now = net.nodes().stream().filter(TestNode::isRunning).toList();
            await().atMost(settle).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                assertThat(outbound(newcomer)).hasSizeGreaterThanOrEqualTo(TARGET);
                assertThat(connected(now)).isTrue();
            });
            for (TestNode n : now) {
                assertThat(n.p2p().discovery().sanityCheck()).isEmpty();
            }
        }
    }
}
