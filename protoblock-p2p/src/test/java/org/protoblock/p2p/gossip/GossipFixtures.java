package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.TxId;
import org.protoblock.p2p.chain.StaticChainInfo;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.session.PeerEvents;
import org.protoblock.p2p.session.PeerListener;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.Inventory;
import org.protoblock.p2p.wire.proto.Txs;

/** Waits and checks shared by the gossip integration tests. */
final class GossipFixtures {
    private GossipFixtures() {
    }

    /** A bare peer host (no protocols but {@code events}) on {@code like}'s network and genesis: a raw peer for hostile tests. */
    static PeerHost bareHost(TestNetwork net, TestNode like, PeerEvents events) {
        StaticChainInfo info = StaticChainInfo.atGenesis(like.chain().config().network().networkId(), like.chain().genesisId());
        return new PeerHost(NodeKey.generate(), info, net.transport(), TestNetwork.fastP2pConfig().build(), events);
    }

    /** Events for a raw peer that answers every GetTxs with the requested {@code bodies} (and nothing else). */
    static PeerEvents servingTxs(Map<TxId, ByteString> bodies) {
        PeerEvents events = new PeerEvents();
        events.register(new PeerListener() {
            @Override
            public void message(Session session, Envelope envelope) {
                Txs.Builder txs = Txs.newBuilder();
                WireIds.txIds(envelope.getGetTxs().getTxIdsList()).orElseThrow().forEach(id -> txs.addTxs(bodies.get(id)));
                session.respond(envelope, Envelope.newBuilder().setTxs(txs).build());
            }
        }, Set.of(Envelope.BodyCase.GET_TXS));
        return events;
    }

    /** Announces {@code ids} in one Inventory. */
    static void announceTxs(Session link, Collection<TxId> ids) {
        assertThat(link.send(Envelope.newBuilder().setInventory(Inventory.newBuilder().setKind(Inventory.Kind.TX)
                .addAllIds(WireIds.toWire(List.copyOf(ids)))).build())).isTrue();
    }

    static void awaitInEveryMempool(Collection<TestNode> nodes, List<ChainTransaction> txs, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(() -> nodes.stream()
                .allMatch(n -> txs.stream().allMatch(tx -> n.chain().mempoolContains(tx.id()))));
    }

    /** In {@code node}'s main chain (transaction index). */
    static boolean inChain(TestNode node, TxId id) {
        return node.chain().store().txLocation(id).isPresent();
    }

    static long bodiesReceived(Collection<TestNode> nodes) {
        return nodes.stream().mapToLong(n -> n.p2p().metrics().txBodiesReceived.sum()).sum();
    }

    static long duplicates(Collection<TestNode> nodes) {
        return nodes.stream().mapToLong(n -> n.p2p().metrics().txBodiesDuplicate.sum()).sum();
    }

    static void assertSane(Collection<TestNode> nodes) throws Exception {
        for (TestNode node : nodes) {
            assertThat(node.p2p().txGossip().sanityCheck().get(30, java.util.concurrent.TimeUnit.SECONDS)).as("%s gossip", node).isEmpty();
            assertThat(node.chain().sanityCheck().get(30, java.util.concurrent.TimeUnit.SECONDS)).as("%s chain", node).isEmpty();
        }
    }
}
