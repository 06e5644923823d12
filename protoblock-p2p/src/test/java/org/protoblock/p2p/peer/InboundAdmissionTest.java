package org.protoblock.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;

/** Inbound links past {@code maxInbound} make the node evict one; dialers' listen addresses reach the book untested. */
class InboundAdmissionTest {
    @TempDir
    Path dir;

    @Test
    void oneInboundPastTheCapIsEvictedAndListenAddressesAreHeard() throws Exception {
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir)) {
            PeerConfig capped = PeerConfig.manual().toBuilder().maxInbound(2).build();
            TestNode hub = net.addNode(net.chainConfig(), TestNetwork.fastP2pConfig().build(), capped, Optional.empty());
            for (int i = 0; i < 3; i++) {
                TestNode dialer = net.addNode(net.chainConfig(), TestNetwork.fastP2pConfig().build());
                dialer.p2p().dial(hub.address()).handle((s, e) -> null).get(20, java.util.concurrent.TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(hub.p2p().metrics().inboundEvicted.sum()).isEqualTo(1);
                assertThat(hub.p2p().peerManager().operator().peers()).hasSize(2)
                        .allSatisfy(p -> assertThat(p.kind()).isEqualTo(PeerKind.INBOUND));
            });
            for (TestNode n : net.nodes().subList(1, 4)) {
                assertThat(hub.p2p().discovery().knownPeers()).anySatisfy(p -> {
                    assertThat(p.nodeId()).isEqualTo(n.p2p().host().nodeId());
                    assertThat(p.address()).isEqualTo(n.address());
                    assertThat(p.tried()).isFalse();
                });
            }
        }
    }
}
