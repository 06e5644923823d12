package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.protoblock.p2p.discovery.DiscoveryFixtures.fast;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.p2p.peer.PeerConfig;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;

/**
 * Issue 9's failure: nodes on one host, each listening on 127.0.0.1, all seeded with node 0, LAN
 * beacons on. The beacons leave by the host's real interface, so their source address is that
 * interface's; read as the dial address it was refused, and (first address wins) it hid the
 * loopback address heard through peer exchange, leaving nodes at 1-2 peers. Every node must reach
 * 3 peers. Tests stay off the real network, so beacons go out on lo here, as the node itself does
 * when it listens on loopback only; the rule that maps a beacon from another interface address of
 * this host to the loopback listener is {@link LanBeaconsTest}'s.
 */
class OneHostMeshTest {
    private static final int NODES = 6;
    private static final int PEERS = 3;

    @TempDir
    Path dir;

    @Test
    void loopbackNodesWithLanBeaconsAndOneSeedMesh() throws Exception {
        int port = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
        LanFixtures.requireLoopbackMulticast(port);
        List<String> interfaces = List.of("lo");
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir)) {
            PeerConfig.Builder lan = fast(PEERS, List.of()).lanEnabled(true)
                    .lan(LanFixtures.GROUP, port, Duration.ofMillis(300), interfaces);
            TestNode first = net.addNode(net.chainConfig(), DiscoveryFixtures.p2p(), lan.build(), Optional.of("127.0.0.1"));
            PeerConfig seeded = lan.seeds(List.of(first.address())).build();
            for (int i = 1; i < NODES; i++) {
                net.addNode(net.chainConfig(), DiscoveryFixtures.p2p(), seeded, Optional.of("127.0.0.1"));
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                for (TestNode n : net.nodes()) {
                    assertThat(n.p2p().host().sessions()).as("peers of %s (beacons on %s)", n, interfaces)
                            .hasSizeGreaterThanOrEqualTo(PEERS);
                }
            });
            for (TestNode n : net.nodes()) {
                assertThat(n.p2p().discovery().knownPeers()).as("book of %s", n)
                        .allSatisfy(p -> assertThat(p.address().host()).isEqualTo("127.0.0.1"));
                assertThat(n.p2p().discovery().sanityCheck()).isEmpty();
            }
        }
    }
}
