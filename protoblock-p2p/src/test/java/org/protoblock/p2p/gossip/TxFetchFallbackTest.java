package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.session.PeerEvents;
import org.protoblock.p2p.session.PeerListener;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.Inventory;
import org.protoblock.p2p.wire.proto.Txs;

/**
 * A peer that announces a transaction and never serves it: the node asks it first (first
 * announcer), and fetches the body from the honest announcer only after waiting for it (the
 * request's timeout, or the shorter wait of a short id announced meanwhile), once. A peer that
 * pushes transaction bodies nobody asked for is scored UNSOLICITED.
 */
class TxFetchFallbackTest {
    @TempDir
    Path dir;

    @Test
    void aSilentAnnouncerIsSkippedAfterTheTimeoutAndPushedBodiesAreScored() throws Exception {
        Devnet devnet = Devnet.create(1);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode node = net.addNode();
            TestNode honest = net.addNode();
            ChainTransaction tx = devnet.nameTx("patient");
            PeerEvents events = new PeerEvents();
            // Registered for GetTxs so the session does not answer UNSUPPORTED for it: it just never answers.
            AtomicBoolean asked = new AtomicBoolean();
            events.register(new PeerListener() {
                @Override
                public void message(Session session, Envelope envelope) {
                    if (envelope.getBodyCase() == Envelope.BodyCase.GET_TXS) {
                        asked.set(true);
                    }
                }
            }, Set.of(Envelope.BodyCase.GET_TXS, Envelope.BodyCase.GET_MEMPOOL));
            try (PeerHost silent = GossipFixtures.bareHost(net, node, events)) {
                Session link = silent.dial(node.address()).get(10, TimeUnit.SECONDS);
                link.send(Envelope.newBuilder().setInventory(Inventory.newBuilder().setKind(Inventory.Kind.TX)
                        .addAllIds(WireIds.toWire(List.of(tx.id())))).build());
                await().atMost(Duration.ofSeconds(5)).untilTrue(asked);

                long start = System.nanoTime();
                net.connect(honest, node);
                honest.chain().submitTransaction(tx).get(30, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(10)).until(() -> node.chain().mempoolContains(tx.id()));
                long waitedMs = (System.nanoTime() - start) / 1_000_000;
                assertThat(node.p2p().metrics().txBodiesReceived.sum()).isEqualTo(1);
                // The honest node announces by short id: that waits for the silent peer's request, at
                // most shortIdMaxWait (ParkedShortIds), instead of asking both at once.
                assertThat(waitedMs).as("waited for the silent peer's request first")
                        .isGreaterThanOrEqualTo(GossipConfig.defaults().shortIdMaxWait().toMillis());

                link.send(Envelope.newBuilder().setTxs(Txs.newBuilder().addTxs(ByteString.copyFrom(devnet.nameTx("pushy").proto().toByteArray()))).build());
                await().atMost(Duration.ofSeconds(5)).until(() -> node.p2p().scores().score(silent.nodeId()) > 0);
                assertThat(node.chain().mempoolSize()).isEqualTo(1);
                assertThat(node.p2p().txGossip().sanityCheck().get(30, TimeUnit.SECONDS)).isEmpty();
            }
        }
    }
}
