package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;

/**
 * After an outbound handshake a node sends its own record; the receiver relays it, so a third node
 * learns the newcomer without asking anyone, and holds it untested (new table) until it dials it.
 */
class SelfAdvertisementTest {
    @TempDir
    Path dir;

    @Test
    void aNewNodeIsRelayedToItsPeersPeers() throws Exception {
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir)) {
            TestNode hub = net.addNode(net.chainConfig(), TestNetwork.fastP2pConfig().build());
            TestNode other = net.addNode(net.chainConfig(), TestNetwork.fastP2pConfig().build());
            net.connect(other, hub);
            TestNode newcomer = net.addNode(net.chainConfig(), TestNetwork.fastP2pConfig().build());
            net.connect(newcomer, hub);
            NodeId id = newcomer.p2p().host().nodeId();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(other.p2p().discovery().knownPeers()).anySatisfy(p -> {
                        assertThat(p.nodeId()).isEqualTo(id);
                        assertThat(p.address()).isEqualTo(newcomer.address());
                        assertThat(p.tried()).isFalse();
                    }));
            assertThat(other.p2p().host().session(id)).isEmpty(); // heard of, never linked
            assertThat(newcomer.p2p().metrics().selfAdvertisements.sum()).isPositive();
        }
    }
}
