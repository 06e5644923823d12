package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.protoblock.p2p.discovery.DiscoveryFixtures.fast;
import static org.protoblock.p2p.discovery.DiscoveryFixtures.outbound;
import static org.protoblock.p2p.discovery.DiscoveryFixtures.outboundGroups;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.peer.PeerConfig;
import org.protoblock.p2p.peer.PeerInfo;
import org.protoblock.p2p.session.PeerErrorException;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.GetPeers;
import org.protoblock.p2p.wire.proto.PeerRecord;
import org.protoblock.p2p.wire.proto.Peers;

/**
 * Eclipse resistance on TCP loopback, where 127.N.0.1 puts a node in address group 127.N/16:
 * honest nodes in six groups, eight more crowded into one group, and an attacker that floods the
 * victim with 100,000 addresses in one group and hammers it with GetPeers. The victim's memory and
 * accepted addresses stay bounded, the attacker is banned, and the victim's outbound links span
 * as many groups as its target (one link per group).
 */
class AddressFloodTest {
    private static final int TARGET = 4;

    @TempDir
    Path dir;

    @Test
    void aFloodOfAddressesStaysBoundedAndOutboundLinksStayDiverse() throws Exception {
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir)) {
            TestNode hub = net.addNode(net.chainConfig(), DiscoveryFixtures.p2p(),
                    fast(TARGET, List.of()).maxOutboundPerGroup(1).build(), Optional.of("127.1.0.1"));
            PeerConfig honest = fast(TARGET, List.of(hub.address())).maxOutboundPerGroup(1).build();
            for (int g = 2; g <= 6; g++) {
                net.addNode(net.chainConfig(), DiscoveryFixtures.p2p(), honest, Optional.of("127." + g + ".0.1"));
            }
            for (int i = 0; i < 8; i++) { // one crowded group
                net.addNode(net.chainConfig(), DiscoveryFixtures.p2p(), honest, Optional.of("127.9.0.1"));
            }
            PeerConfig victimConfig = fast(TARGET, List.of(hub.address())).maxOutboundPerGroup(1)
                    .getPeersRate(3, 0.01).addressRate(1000, 0.1).build();
            TestNode victim = net.addNode(net.chainConfig(), DiscoveryFixtures.p2p(), victimConfig,
                    Optional.of("127.0.0.1"));
            TestNode attacker = net.addNode(net.chainConfig(), DiscoveryFixtures.p2p(),
                    PeerConfig.manual(), Optional.of("127.10.0.1"));
            NodeId victimId = victim.p2p().host().nodeId();
            Session link = attacker.p2p().dial(victim.address()).get(20, TimeUnit.SECONDS);
            long start = System.nanoTime();

            // GetPeers beyond the burst is refused with BUSY.
            int busy = 0;
            for (int i = 0; i < 8; i++) {
                CompletableFuture<Envelope> answer = link.request(Envelope.newBuilder()
                        .setGetPeers(GetPeers.newBuilder().setMaxCount(1000)).build());
                try {
                    answer.get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(PeerErrorException.class);
                    busy++;
                }
            }
            assertThat(busy).isGreaterThanOrEqualTo(5);

            // 100,000 addresses in group 127.11/16, 1000 per message.
            int sent = 0;
            for (int m = 0; m < 100 && link.isOpen(); m++) {
                Peers.Builder batch = Peers.newBuilder();
                for (int i = 0; i < 1000; i++) {
                    int n = m * 1000 + i;
                    batch.addPeers(PeerRecord.newBuilder()
                            .setNodeId(ByteString.copyFrom(ByteBuffer.allocate(32).putInt(0, 0x7f000000).putInt(28, n).array()))
                            .addAddresses("tcp://127.11." + (n / 250 % 250) + "." + (n % 250 + 1) + ":" + (20000 + n % 1000))
                            .setLastSeenMs(System.currentTimeMillis()).setReachable(true));
                }
                Envelope message = Envelope.newBuilder().setPeers(batch).build();
                await().atMost(Duration.ofSeconds(10)).until(() -> link.send(message) || !link.isOpen());
                sent += link.isOpen() ? 1000 : 0;
            }
            P2pMetrics vm = victim.p2p().metrics();
            await().atMost(Duration.ofSeconds(20)).until(() -> !link.isOpen());
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf("attacker sent %d records before the victim closed the link; victim accepted %d, rate-limited %d%n",
                    sent, vm.addressesAccepted.sum(), vm.addressesRateLimited.sum());

            // The rate limit held: at most the burst (plus the trickle) from the attacker passed; the
            // honest nodes add their self-advertisements and the relays of others' (a few records each).
            assertThat(vm.addressesAccepted.sum())
                    .isLessThanOrEqualTo(1000 + (long) (elapsed * 0.1 * net.nodes().size()) + 10L * net.nodes().size());
            assertThat(vm.addressesRateLimited.sum()).isGreaterThan(0);
            // The attacker was banned and cannot come back.
            assertThat(victim.p2p().peerManager().operator().listBanned()).anyMatch(b -> b.target().text().contains(attacker.p2p().host().nodeId().hex()));
            attacker.p2p().dial(victim.address()).handle((s, e) -> null).get(20, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> vm.bannedRefused.sum() >= 1
                    && attacker.p2p().host().session(victimId).isEmpty());

            // Memory bounded: one source group fills at most its buckets of the new table.
            long fromAttacker = victim.p2p().discovery().knownPeers().stream()
                    .filter(p -> p.address().host().startsWith("127.11.")).count();
            PeerConfig c = victimConfig;
            assertThat(fromAttacker).isLessThanOrEqualTo((long) c.discovery().addressBook().newBucketsPerSourceGroup() * c.discovery().addressBook().bucketSize());
            assertThat(victim.p2p().discovery().stats().total()).isLessThanOrEqualTo(c.discovery().addressBook().capacity());
            assertThat(victim.p2p().discovery().sanityCheck()).isEmpty();

            // Outbound links reach the target, one per group, never into the crowded group twice.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                List<PeerInfo> out = outbound(victim);
                assertThat(out).hasSizeGreaterThanOrEqualTo(TARGET);
                assertThat(outboundGroups(victim)).isGreaterThanOrEqualTo(TARGET);
            });
            List<String> groups = new ArrayList<>();
            outbound(victim).forEach(p -> groups.add(p.group().key()));
            assertThat(groups).doesNotHaveDuplicates().noneMatch(g -> g.equals("v4:127.11"));
        }
    }
}
