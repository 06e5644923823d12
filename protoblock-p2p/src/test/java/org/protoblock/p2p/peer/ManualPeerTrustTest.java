package org.protoblock.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.p2p.discovery.KnownPeer;
import org.protoblock.p2p.peerstore.ChainStorePeerStore;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;

/**
 * Finding 7 of issue 10: a peer the operator (or a web page driving the operator's RPC) added
 * with {@code addnode} is linked, but that alone neither makes it an anchor (dialed first after a
 * restart) nor puts it in the tried table (which outlives it and feeds outbound dials): an
 * eclipse through {@code addnode} must not survive the session.
 */
class ManualPeerTrustTest {
    @TempDir
    Path dir;

    @Test
    void addnodePeersBecomeNeitherAnchorsNorTried() throws Exception {
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode victim = net.addNode();
            TestNode onetry = net.addNode();
            TestNode added = net.addNode();

            victim.p2p().dial(onetry.address()).get(20, TimeUnit.SECONDS); // addnode "onetry" over RPC
            assertThat(victim.p2p().peerManager().operator().addNode(added.address())).isTrue(); // addnode "add"
            await().atMost(Duration.ofSeconds(20)).until(() -> victim.p2p().peerManager().operator().peers().size() == 2);

            assertThat(victim.p2p().peerManager().operator().peers()).allSatisfy(p -> assertThat(p.kind()).isEqualTo(PeerKind.MANUAL));
            assertThat(victim.p2p().discovery().knownPeers()).noneMatch(KnownPeer::tried);
            victim.p2p().discovery().flushNow();
            assertThat(new ChainStorePeerStore(victim.chain().store()).loadAnchors()).isEmpty();
        }
    }
}
