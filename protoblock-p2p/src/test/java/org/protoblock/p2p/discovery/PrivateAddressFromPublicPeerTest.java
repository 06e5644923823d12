package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.p2p.peer.PeerConfig;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.PeerRecord;
import org.protoblock.p2p.wire.proto.Peers;

/**
 * Through real TCP links from a peer at a routable address of this host (skipped when the host has
 * none): the loopback and private addresses it names are not kept, its routable ones are.
 * Tagged "hostnet" (not in the default run, which keeps to loopback): it dials this host's own
 * routable address; the rule itself is {@link AddressRulesTest}'s.
 */
@org.junit.jupiter.api.Tag("hostnet")
class PrivateAddressFromPublicPeerTest {
    @TempDir
    Path dir;

    @Test
    void aPublicPeerCannotFillOurBookWithLoopbackOrPrivateAddresses() throws Exception {
        Optional<String> routable = routableHostAddress();
        assumeTrue(routable.isPresent(), "no routable IPv4 address on this host");
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir)) {
            TestNode victim = net.addNode(net.chainConfig(), DiscoveryFixtures.p2p(), PeerConfig.manual(), routable);
            TestNode attacker = net.addNode(net.chainConfig(), DiscoveryFixtures.p2p(), PeerConfig.manual(), routable);
            Session link = attacker.p2p().dial(victim.address()).get(20, TimeUnit.SECONDS);
            Peers.Builder peers = Peers.newBuilder()
                    .addPeers(record(1, "tcp://127.0.0.1:20001"))
                    .addPeers(record(2, "tcp://10.1.2.3:20002"))
                    .addPeers(record(3, "tcp://192.168.7.7:20003"))
                    .addPeers(record(4, "tcp://203.0.113.9:20004"));
            link.send(Envelope.newBuilder().setPeers(peers).build());

            await().atMost(Duration.ofSeconds(10)).until(() -> victim.p2p().discovery().knownPeers().stream()
                    .anyMatch(p -> p.address().host().equals("203.0.113.9")));
            List<String> hosts = victim.p2p().discovery().knownPeers().stream().map(p -> p.address().host()).toList();
            assertThat(hosts).doesNotContain("127.0.0.1", "10.1.2.3", "192.168.7.7");
        }
    }

    private static PeerRecord record(int n, String address) {
        byte[] id = new byte[32];
        id[0] = 0x42;
        id[31] = (byte) n;
        return PeerRecord.newBuilder().setNodeId(ByteString.copyFrom(id)).addAddresses(address)
                .setLastSeenMs(System.currentTimeMillis()).setReachable(true).build();
    }

    /** An IPv4 address of an up interface that is neither loopback, private nor link-local. */
    private static Optional<String> routableHostAddress() throws Exception {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp()) {
                continue;
            }
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address && !IpLiterals.isLocal(a.getHostAddress())) {
                    return Optional.of(a.getHostAddress());
                }
            }
        }
        return Optional.empty();
    }
}
