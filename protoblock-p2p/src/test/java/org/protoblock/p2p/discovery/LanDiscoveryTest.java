package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.protoblock.p2p.discovery.DiscoveryFixtures.fast;

import java.net.InetAddress;
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
import org.protoblock.p2p.transport.PeerAddress;

/**
 * Two nodes with no seeds and no address book find each other by UDP multicast beacons on the
 * loopback interface. Linux delivers multicast on {@code lo} even without its MULTICAST flag; if a
 * probe datagram does not come back we try {@code ip link set lo multicast on} (works as root) and
 * otherwise skip with the reason on a developer box, but fail in CI ({@code CI=true}, set by
 * {@code .ci/run}, which also turns the flag on): a CI run must not pass with this test skipped.
 * A random port keeps parallel runs apart.
 */
class LanDiscoveryTest {

    @TempDir
    Path dir;

    @Test
    void twoNodesWithoutSeedsFindEachOtherOnTheLan() throws Exception {
        int port = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
        LanFixtures.requireLoopbackMulticast(port);
        PeerConfig lan = fast(2, List.of()).lanEnabled(true)
                .lan(LanFixtures.GROUP, port, Duration.ofMillis(200), List.of("lo")).build();
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir)) {
            TestNode a = net.addNode(net.chainConfig(), DiscoveryFixtures.p2p(), lan, Optional.of("127.0.0.1"));
            TestNode b = net.addNode(net.chainConfig(), DiscoveryFixtures.p2p(), lan, Optional.of("127.0.0.1"));
            assertThat(a.p2p().discovery().lanRunning()).isTrue();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                assertThat(a.p2p().host().session(b.p2p().host().nodeId())).isPresent();
                assertThat(b.p2p().host().session(a.p2p().host().nodeId())).isPresent();
            });
            assertThat(a.p2p().metrics().lanBeaconsReceived.sum()).isPositive();
        }
    }

    @Test
    void beaconsOfAnotherNetworkOrOurOwnAreIgnored() {
        org.protoblock.p2p.identity.NodeId me = new org.protoblock.p2p.identity.NodeId("a".repeat(64));
        org.protoblock.p2p.identity.NodeId other = new org.protoblock.p2p.identity.NodeId("b".repeat(64));
        String genesis = "11".repeat(32);
        LanBeacons mine = new LanBeacons("devnet-1", genesis, me);
        byte[] theirs = new LanBeacons("devnet-1", genesis, other).encode(List.of(PeerAddress.tcp("0.0.0.0", 9000)));
        InetAddress src = InetAddress.getLoopbackAddress();
        assertThat(mine.decode(theirs, theirs.length, src, "tcp", a -> false))
                .contains(new LanBeacons.Found(other, PeerAddress.tcp("127.0.0.1", 9000)));
        byte[] own = mine.encode(List.of(PeerAddress.tcp("0.0.0.0", 9000)));
        assertThat(mine.decode(own, own.length, src, "tcp", a -> false)).isEmpty();
        byte[] foreign = new LanBeacons("devnet-2", genesis, other).encode(List.of(PeerAddress.tcp("0.0.0.0", 9000)));
        assertThat(mine.decode(foreign, foreign.length, src, "tcp", a -> false)).isEmpty();
        byte[] otherGenesis = new LanBeacons("devnet-1", "22".repeat(32), other).encode(List.of(PeerAddress.tcp("0.0.0.0", 9000)));
        assertThat(mine.decode(otherGenesis, otherGenesis.length, src, "tcp", a -> false)).isEmpty();
        byte[] junk = "PBLNgarbage".getBytes();
        assertThat(mine.decode(junk, junk.length, src, "tcp", a -> false)).isEmpty();
    }
}
