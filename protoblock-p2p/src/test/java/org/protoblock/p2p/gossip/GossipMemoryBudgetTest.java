package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.Sha256;
import org.protoblock.chain.types.TxId;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.session.PeerEvents;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.Inventory;

/**
 * Finding 8 of issue 10 (gossip part): per-peer state is bounded so that 125 peers fit a bounded
 * total. A peer announcing 20,480 fresh ids leaves at most {@link GossipConfig#perPeerIds()} ids
 * held for it, and that bound × 125 fits {@link GossipConfig#MAX_IDS_FOR_125_PEERS}.
 */
class GossipMemoryBudgetTest {
    @TempDir
    Path dir;

    @Test
    void defaultsFit125Peers() {
        GossipConfig config = GossipConfig.defaults();
        assertThat(config.maxTxAnnouncementsPerPeer()).as("Bitcoin Core's MAX_PEER_TX_ANNOUNCEMENTS").isLessThanOrEqualTo(5_000);
        assertThat(config.perPeerIds() * 125).isLessThanOrEqualTo(GossipConfig.MAX_IDS_FOR_125_PEERS);
    }

    @Test
    void aFloodingAnnouncerIsHeldToItsBudget() throws Exception {
        Devnet devnet = Devnet.create(1);
        GossipConfig config = GossipConfig.defaults();
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode victim = net.addNode();
            try (PeerHost flooder = GossipFixtures.bareHost(net, victim, new PeerEvents())) {
                Session link = flooder.dial(victim.address()).get(10, TimeUnit.SECONDS);
                int sent = 0;
                for (int batch = 0; batch < 10; batch++) {
                    List<TxId> ids = new ArrayList<>();
                    for (int i = 0; i < config.maxInventoryIds(); i++) {
                        ids.add(TxId.wrap(Sha256.hash(("fake " + sent++).getBytes()).toBytes()));
                    }
                    assertThat(link.send(Envelope.newBuilder().setInventory(Inventory.newBuilder().setKind(Inventory.Kind.TX)
                            .addAllIds(WireIds.toWire(ids))).build())).isTrue();
                }
                long total = sent;
                await().atMost(Duration.ofSeconds(10)).until(() -> victim.p2p().metrics().announcementsReceived.sum() >= total);
                long held = victim.p2p().txGossip().idsHeldFor(flooder.nodeId()).get(10, TimeUnit.SECONDS);
                assertThat(held).isGreaterThan(0).isLessThanOrEqualTo(config.perPeerIds());
                assertThat(held).as("a 125th of the total").isLessThanOrEqualTo(GossipConfig.MAX_IDS_FOR_125_PEERS / 125);
                assertThat(victim.p2p().txGossip().sanityCheck().get(10, TimeUnit.SECONDS)).isEmpty();
            }
        }
    }
}
