package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.proto.SignedTransaction;
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
 * Finding 2 of issue 10: the transaction id does not cover the signature. An attacker announces an
 * id first and, once the honest node has announced it too, serves a copy whose signature is
 * another transaction's: the copy is rejected and its sender scored, and the id is fetched from the
 * honest announcer, so the transaction reaches the victim's mempool.
 */
class BadSignatureCopyTest {
    @TempDir
    Path dir;

    private record Asked(Session session, Envelope request) {
    }

    @Test
    void aBadSignatureCopyDoesNotCensorTheHonestOne() throws Exception {
        Devnet devnet = Devnet.create(1);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode victim = net.addNode();
            TestNode honest = net.addNode();
            ChainTransaction tx = devnet.nameTx("censored");
            SignedTransaction forged = tx.proto().toBuilder().setSig(devnet.nameTx("other").proto().getSig()).build();
            PeerEvents events = new PeerEvents();
            CompletableFuture<Asked> asked = new CompletableFuture<>();
            events.register(new PeerListener() {
                @Override
                public void message(Session session, Envelope envelope) {
                    if (envelope.getBodyCase() == Envelope.BodyCase.GET_TXS) {
                        asked.complete(new Asked(session, envelope));
                    }
                }
            }, Set.of(Envelope.BodyCase.GET_TXS, Envelope.BodyCase.GET_MEMPOOL));
            try (PeerHost attacker = GossipFixtures.bareHost(net, victim, events)) {
                Session link = attacker.dial(victim.address()).get(10, TimeUnit.SECONDS);
                link.send(Envelope.newBuilder().setInventory(Inventory.newBuilder().setKind(Inventory.Kind.TX)
                        .addAllIds(WireIds.toWire(List.of(tx.id())))).build());
                Asked request = asked.get(10, TimeUnit.SECONDS);

                // The honest node announces the id while the attacker holds the request.
                net.connect(honest, victim);
                long announcementsBefore = victim.p2p().metrics().announcementsReceived.sum();
                honest.chain().submitTransaction(tx).get(10, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(5)).until(() -> victim.p2p().metrics().announcementsReceived.sum() > announcementsBefore);

                request.session().respond(request.request(), Envelope.newBuilder()
                        .setTxs(Txs.newBuilder().addTxs(ByteString.copyFrom(forged.toByteArray()))).build());
                await().atMost(Duration.ofSeconds(10)).until(() -> victim.chain().mempoolContains(tx.id()));
                await().atMost(Duration.ofSeconds(5)).until(() -> victim.p2p().scores().score(attacker.nodeId()) > 0);
                assertThat(victim.p2p().txGossip().sanityCheck().get(30, TimeUnit.SECONDS)).isEmpty();
            }
        }
    }
}
