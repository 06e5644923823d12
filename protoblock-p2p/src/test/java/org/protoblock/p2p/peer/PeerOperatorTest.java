package org.protoblock.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.p2p.discovery.KnownPeer;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.protoblock.p2p.transport.PeerAddress;

/** The operator's API over two real nodes: addnode keeps a link, setban drops it and forgets the address. */
class PeerOperatorTest {
    @TempDir
    Path dir;

    @Test
    void addNodeLinksAndABanDropsTheLinkAndTheAddress() throws Exception {
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir)) {
            PeerConfig config = PeerConfig.builder().outboundTargets(0, 0).useBuiltInSeeds(false).lanEnabled(false)
                    .tickInterval(Duration.ofMillis(100)).reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                    .build();
            TestNode a = net.addNode(net.chainConfig(), TestNetwork.fastP2pConfig().build(), config, Optional.empty());
            TestNode b = net.addNode(net.chainConfig(), TestNetwork.fastP2pConfig().build(), config, Optional.empty());
            PeerOperator operator = a.p2p().peerManager().operator();
            NodeId bId = b.p2p().host().nodeId();

            assertThat(operator.addNode(b.address())).isTrue();
            assertThat(operator.addedNodes()).extracting(AddedNode::target).containsExactly(b.address().toString());
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(operator.peers()).anySatisfy(p -> {
                        assertThat(p.nodeId()).isEqualTo(bId);
                        assertThat(p.kind()).isEqualTo(PeerKind.MANUAL);
                    }));
            // addnode alone does not vouch for b in the tried table (issue 10, finding 7); put b in
            // the book by hand, to see the ban drop its address
            assertThat(a.p2p().discovery().knownPeers()).noneMatch(KnownPeer::tried);
            a.p2p().discovery().learn(bId, b.address());
            assertThat(a.p2p().discovery().knownPeers()).anyMatch(k -> k.nodeId().equals(bId));

            assertThat(operator.removeNode(b.address())).isTrue();
            operator.ban(BanTarget.node(bId), Duration.ofHours(1), "operator test");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(a.p2p().host().session(bId)).isEmpty();
                assertThat(a.p2p().discovery().knownPeers()).noneMatch(k -> k.nodeId().equals(bId));
            });
            assertThat(operator.listBanned()).extracting(Ban::target).containsExactly(BanTarget.node(bId));
            assertThat(operator.unban(BanTarget.node(bId))).isTrue();
            assertThat(operator.listBanned()).isEmpty();
        }
    }

    @Test
    void operatorPeersAreBounded() throws Exception {
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir)) {
            TestNode a = net.addNode(net.chainConfig(), TestNetwork.fastP2pConfig().build(), PeerConfig.manual(),
                    Optional.empty());
            PeerOperator operator = a.p2p().peerManager().operator();
            for (int i = 0; i < OutboundDialer.MAX_MANUAL; i++) {
                assertThat(operator.addNode(PeerAddress.tcp("10.0.0." + (i + 1), 9))).isTrue();
            }
            assertThat(operator.addNode(PeerAddress.tcp("10.0.1.1", 9))).isFalse();
            assertThat(operator.addNode(PeerAddress.tcp("10.0.0.1", 9))).isTrue(); // already listed
            assertThat(operator.addedNodes()).hasSize(OutboundDialer.MAX_MANUAL);
        }
    }
}
