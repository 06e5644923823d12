package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.protoblock.p2p.discovery.DiscoveryFixtures.fast;
import static org.protoblock.p2p.discovery.DiscoveryFixtures.outbound;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.peer.BanTarget;
import org.protoblock.p2p.peer.PeerConfig;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;

/**
 * A node restarted with its RocksDB store and no seed reconnects from its persisted address book
 * and anchors; its bans survive the restart too.
 */
class RestartReconnectTest {
    private static final int TARGET = 2;

    @TempDir
    Path dir;

    @Test
    void restartedNodeReconnectsFromItsAddressBookWithoutSeeds() throws Exception {
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.ROCKSDB, dir)) {
            TestNode seed = net.addNode(net.chainConfig(), DiscoveryFixtures.p2p(),
                    fast(TARGET, List.of()).build(), Optional.empty());
            PeerConfig viaSeed = fast(TARGET, List.of(seed.address())).build();
            for (int i = 0; i < 7; i++) {
                net.addNode(net.chainConfig(), DiscoveryFixtures.p2p(), viaSeed, Optional.empty());
            }
            TestNode node = net.node(1);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                for (TestNode n : net.nodes()) {
                    assertThat(outbound(n)).hasSizeGreaterThanOrEqualTo(TARGET);
                }
                assertThat(node.p2p().discovery().stats().triedCount()).isGreaterThanOrEqualTo(TARGET);
            });
            NodeId banned = new NodeId("e".repeat(64));
            node.p2p().peerManager().operator().ban(BanTarget.node(banned), Duration.ofHours(1), "test ban");

            seed.stop(); // nobody can bootstrap from the seed any more
            node.peerConfig(fast(TARGET, List.of()).build());
            node.restart(UnaryOperator.identity());

            assertThat(node.p2p().peerManager().operator().listBanned()).anyMatch(b -> b.target().equals(BanTarget.node(banned)));
            assertThat(node.p2p().discovery().stats().total()).isGreaterThanOrEqualTo(TARGET);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(outbound(node)).hasSizeGreaterThanOrEqualTo(TARGET));
        }
    }
}
