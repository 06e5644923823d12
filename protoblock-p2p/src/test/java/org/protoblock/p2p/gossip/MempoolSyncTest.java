package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.protoblock.p2p.gossip.GossipFixtures.assertSane;
import static org.protoblock.p2p.gossip.GossipFixtures.awaitInEveryMempool;
import static org.protoblock.p2p.gossip.GossipFixtures.bodiesReceived;
import static org.protoblock.p2p.gossip.GossipFixtures.duplicates;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.TxId;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.session.PeerEvents;
import org.protoblock.p2p.session.PeerListener;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.GetMempool;
import org.protoblock.p2p.wire.proto.MempoolIds;

/**
 * Mempool sync: transactions a node holds before a peer connects reach that peer through
 * {@code GetMempool} right after the handshake, with no announcement from the holder. Answers are
 * bounded as MempoolSync says: at most the asked count, oldest first; we take an answer of up to
 * {@code maxMempoolIds} ids whole, and score one over it. So of a larger mempool a new peer gets
 * the oldest {@code maxMempoolIds} transactions this way, and the newer rest not at all.
 */
class MempoolSyncTest {
    private static final int TXS = 30;

    private final Devnet devnet = Devnet.create(1);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "over {0}, {1} dials")
    @CsvSource({"TCP, newcomer", "IN_PROCESS, holder"})
    void aNewPeerGetsTheMempoolAtTheHandshakeWithoutAnnouncements(TestNetwork.Kind kind, String dialer) throws Exception {
        try (TestNetwork net = network(kind)) {
            TestNode holder = net.addNode();
            List<ChainTransaction> txs = submitted(holder, "held");
            TestNode newcomer = net.addNode();
            if (dialer.equals("newcomer")) {
                net.connect(newcomer, holder);
            } else {
                net.connect(holder, newcomer);
            }

            awaitInEveryMempool(List.of(newcomer), txs, Duration.ofSeconds(20));
            assertThat(newcomer.chain().mempoolSize()).isEqualTo(TXS);
            assertThat(holder.p2p().metrics().announcementsSent.sum()).as("the holder announced nothing").isZero();
            assertThat(newcomer.p2p().metrics().announcementsReceived.sum()).as("ids from MempoolIds").isEqualTo(TXS);
            assertThat(newcomer.p2p().metrics().txBodiesReceived.sum()).isEqualTo(TXS);
            assertSane(net.nodes());
        }
    }

    @Test
    void aNewcomerFetchesEachBodyOnceFromTwoMempools() throws Exception {
        try (TestNetwork net = network(TestNetwork.Kind.IN_PROCESS)) {
            TestNode a = net.addNode();
            TestNode b = net.addNode();
            net.connect(b, a);
            List<ChainTransaction> txs = submitted(a, "shared");
            awaitInEveryMempool(List.of(b), txs, Duration.ofSeconds(20));
            long announced = a.p2p().metrics().announcementsSent.sum() + b.p2p().metrics().announcementsSent.sum();

            TestNode newcomer = net.addNode();
            net.connect(newcomer, a);
            net.connect(newcomer, b);
            awaitInEveryMempool(List.of(newcomer), txs, Duration.ofSeconds(20));
            assertThat(newcomer.p2p().metrics().txBodiesReceived.sum()).isEqualTo(TXS);
            assertThat(duplicates(List.of(newcomer))).isZero();
            assertThat(a.p2p().metrics().announcementsSent.sum() + b.p2p().metrics().announcementsSent.sum())
                    .as("no announcement to the newcomer").isEqualTo(announced);
            assertThat(bodiesReceived(net.nodes())).as("B once, the newcomer once").isEqualTo(2L * TXS);
            assertSane(net.nodes());
        }
    }

    @Test
    void theAnswerHoldsAtMostTheAskedCountOldestFirst() throws Exception {
        try (TestNetwork net = network(TestNetwork.Kind.IN_PROCESS)) {
            TestNode holder = net.addNode();
            List<TxId> ids = submitted(holder, "old").stream().map(ChainTransaction::id).toList();
            try (PeerHost raw = GossipFixtures.bareHost(net, holder, new PeerEvents())) {
                Session link = raw.dial(holder.address()).get(10, TimeUnit.SECONDS);
                assertThat(askMempool(link, 5)).isEqualTo(ids.subList(0, 5));
                assertThat(askMempool(link, Integer.MAX_VALUE)).isEqualTo(ids);
            }
        }
    }

    @Test
    void anAnswerOfOurLimitIsTakenWhole() throws Exception {
        int limit = GossipConfig.defaults().maxMempoolIds();
        try (TestNetwork net = network(TestNetwork.Kind.IN_PROCESS)) {
            TestNode node = net.addNode();
            try (PeerHost peer = answeringGetMempool(net, node, limit)) {
                peer.dial(node.address()).get(10, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(10)).until(() -> node.p2p().metrics().announcementsReceived.sum() == limit);
                assertThat(node.p2p().scores().score(peer.nodeId())).isZero();
            }
        }
    }

    @Test
    void anAnswerOverOurLimitIsScoredAndIgnored() throws Exception {
        int limit = GossipConfig.defaults().maxMempoolIds();
        try (TestNetwork net = network(TestNetwork.Kind.IN_PROCESS)) {
            TestNode node = net.addNode();
            try (PeerHost flooder = answeringGetMempool(net, node, limit + 1)) {
                flooder.dial(node.address()).get(10, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(10)).until(() -> node.p2p().scores().score(flooder.nodeId()) > 0);
                assertThat(node.p2p().metrics().announcementsReceived.sum()).isZero();
                assertThat(node.p2p().txGossip().sanityCheck().get(30, TimeUnit.SECONDS)).isEmpty();
            }
        }
    }

    private TestNetwork network(TestNetwork.Kind kind) {
        return new TestNetwork(devnet, kind, TestNetwork.Storage.MEMORY, dir);
    }

    /** {@value #TXS} transactions (NAME and DATA) submitted to {@code node}, in arrival order. */
    private List<ChainTransaction> submitted(TestNode node, String prefix) throws Exception {
        List<ChainTransaction> txs = new ArrayList<>();
        for (int i = 0; i < TXS; i++) {
            ChainTransaction tx = i % 2 == 0 ? devnet.nameTx(prefix + i) : devnet.dataTx(devnet.producerName(0));
            node.chain().submitTransaction(tx).get(30, TimeUnit.SECONDS);
            txs.add(tx);
        }
        assertThat(node.chain().mempoolIds().get(30, TimeUnit.SECONDS)).isEqualTo(txs.stream().map(ChainTransaction::id).toList());
        return txs;
    }

    /** A bare peer that answers every GetMempool with {@code count} random ids (and serves nothing else). */
    private static PeerHost answeringGetMempool(TestNetwork net, TestNode like, int count) {
        PeerEvents events = new PeerEvents();
        events.register(new PeerListener() {
            @Override
            public void message(Session session, Envelope envelope) {
                MempoolIds.Builder ids = MempoolIds.newBuilder();
                for (int i = 0; i < count; i++) {
                    byte[] id = new byte[32];
                    ThreadLocalRandom.current().nextBytes(id);
                    ids.addTxIds(ByteString.copyFrom(id));
                }
                session.respond(envelope, Envelope.newBuilder().setMempoolIds(ids).build());
            }
        }, Set.of(Envelope.BodyCase.GET_MEMPOOL));
        return GossipFixtures.bareHost(net, like, events);
    }

    private static List<TxId> askMempool(Session link, int maxCount) throws Exception {
        Envelope answer = link.request(Envelope.newBuilder().setGetMempool(GetMempool.newBuilder().setMaxCount(maxCount)).build())
                .get(10, TimeUnit.SECONDS);
        return WireIds.txIds(answer.getMempoolIds().getTxIdsList()).orElseThrow();
    }
}
