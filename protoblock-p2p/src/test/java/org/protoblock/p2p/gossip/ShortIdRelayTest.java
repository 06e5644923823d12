package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.protoblock.p2p.wire.proto.GetTxs;
import org.protoblock.p2p.wire.proto.Inventory;
import org.protoblock.p2p.wire.proto.TxRelaySalt;
import org.protoblock.p2p.wire.proto.Txs;

/**
 * Short ids on the wire, seen from a raw peer: a peer that sends no TxRelaySalt gets full ids; one
 * that does gets the link's short ids (as both sides derive them), can fetch bodies by them, and
 * what it announces by short id the node fetches by short id.
 */
class ShortIdRelayTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** A raw peer's view of one link: the node's salt and inventories; serves {@code bodies} by the link's short ids. */
    private static final class RawPeer {
        final AtomicLong nodeSalt = new AtomicLong();
        final BlockingQueue<Inventory> inventories = new LinkedBlockingQueue<>();
        final Map<Long, ByteString> bodiesByShortId = new ConcurrentHashMap<>();
        final PeerEvents events = new PeerEvents();
        volatile ShortTxIds shortIds;
        volatile boolean serving = true;

        RawPeer() {
            events.register(new PeerListener() {
                @Override
                public void message(Session session, Envelope envelope) {
                    switch (envelope.getBodyCase()) {
                        case TX_RELAY_SALT -> nodeSalt.set(envelope.getTxRelaySalt().getSalt());
                        case INVENTORY -> inventories.add(envelope.getInventory());
                        case GET_TXS -> {
                            if (!serving) {
                                return; // holds the request until the node's timeout
                            }
                            Txs.Builder txs = Txs.newBuilder();
                            for (long sid : ShortTxIds.unpack(envelope.getGetTxs().getShortIds()).orElseThrow()) {
                                txs.addTxs(bodiesByShortId.get(sid));
                            }
                            session.respond(envelope, Envelope.newBuilder().setTxs(txs).build());
                        }
                        default -> { }
                    }
                }
            }, Set.of(Envelope.BodyCase.TX_RELAY_SALT, Envelope.BodyCase.INVENTORY, Envelope.BodyCase.GET_TXS,
                    Envelope.BodyCase.GET_MEMPOOL));
        }
    }

    @Test
    void aPeerWithoutSaltGetsFullIds() throws Exception {
        Devnet devnet = Devnet.create(1);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode node = net.addNode();
            RawPeer raw = new RawPeer();
            try (PeerHost host = GossipFixtures.bareHost(net, node, raw.events)) {
                host.dial(node.address()).get(10, TimeUnit.SECONDS);
                await().atMost(WAIT).until(() -> raw.nodeSalt.get() != 0);
                ChainTransaction tx = devnet.nameTx("oldpeer");
                node.chain().submitTransaction(tx).get(10, TimeUnit.SECONDS);
                Inventory inv = raw.inventories.poll(10, TimeUnit.SECONDS);
                assertThat(inv).isNotNull();
                assertThat(inv.getIdsList()).containsExactly(ByteString.copyFrom(tx.id().toBytes()));
                assertThat(inv.getShortIds()).isEmpty();
            }
        }
    }

    @Test
    void aPeerWithSaltGetsShortIdsFetchesByThemAndIsFetchedFromByThem() throws Exception {
        Devnet devnet = Devnet.create(1);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode node = net.addNode();
            RawPeer raw = new RawPeer();
            try (PeerHost host = GossipFixtures.bareHost(net, node, raw.events)) {
                Session link = host.dial(node.address()).get(10, TimeUnit.SECONDS);
                await().atMost(WAIT).until(() -> raw.nodeSalt.get() != 0);
                long ourSalt = 0x1234_5678_9abc_def0L;
                assertThat(link.send(Envelope.newBuilder().setTxRelaySalt(TxRelaySalt.newBuilder().setSalt(ourSalt)).build())).isTrue();
                raw.shortIds = ShortTxIds.forLink(ourSalt, raw.nodeSalt.get());
                // A request by an unknown short id: answered empty, and (queued after the salt) proves the salt was taken.
                Envelope empty = link.request(getTxs(12345L)).get(10, TimeUnit.SECONDS);
                assertThat(empty.getTxs().getTxsCount()).isZero();

                ChainTransaction tx = devnet.nameTx("newpeer");
                node.chain().submitTransaction(tx).get(10, TimeUnit.SECONDS);
                Inventory inv = raw.inventories.poll(10, TimeUnit.SECONDS);
                assertThat(inv).isNotNull();
                long sid = raw.shortIds.of(tx.id());
                assertThat(inv.getIdsList()).isEmpty();
                assertThat(inv.getShortIds()).isEqualTo(ShortTxIds.pack(new long[] {sid}, 1));
                Envelope body = link.request(getTxs(sid)).get(10, TimeUnit.SECONDS);
                assertThat(body.getTxs().getTxsList()).containsExactly(tx.proto().toByteString());

                ChainTransaction ours = devnet.nameTx("fromraw");
                long ourSid = raw.shortIds.of(ours.id());
                raw.bodiesByShortId.put(ourSid, ours.proto().toByteString());
                assertThat(link.send(Envelope.newBuilder().setInventory(Inventory.newBuilder().setKind(Inventory.Kind.TX)
                        .setShortIds(ShortTxIds.pack(new long[] {ourSid}, 1))).build())).isTrue();
                await().atMost(WAIT).until(() -> node.chain().mempoolContains(ours.id()));
                assertThat(node.p2p().metrics().txBodiesReceived.sum()).isEqualTo(1);
                assertThat(node.p2p().scores().score(host.nodeId())).as("no fault").isZero();
                assertThat(node.p2p().txGossip().sanityCheck().get(30, TimeUnit.SECONDS)).isEmpty();
            }
        }
    }

    @Test
    void aPeerThatNeverServesItsShortIdsIsScoredStalling() throws Exception {
        Devnet devnet = Devnet.create(1);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode node = net.addNode();
            RawPeer raw = new RawPeer();
            raw.serving = false;
            try (PeerHost host = GossipFixtures.bareHost(net, node, raw.events)) {
                Session link = host.dial(node.address()).get(10, TimeUnit.SECONDS);
                await().atMost(WAIT).until(() -> raw.nodeSalt.get() != 0);
                assertThat(link.send(Envelope.newBuilder().setTxRelaySalt(TxRelaySalt.newBuilder().setSalt(7)).build())).isTrue();
                assertThat(link.send(Envelope.newBuilder().setInventory(Inventory.newBuilder().setKind(Inventory.Kind.TX)
                        .setShortIds(ShortTxIds.pack(new long[] {99}, 1))).build())).isTrue();
                await().atMost(WAIT).until(() -> node.p2p().scores().score(host.nodeId()) > 0);
                assertThat(node.p2p().txGossip().sanityCheck().get(30, TimeUnit.SECONDS)).isEmpty();
            }
        }
    }

    private static Envelope getTxs(long shortId) {
        return Envelope.newBuilder().setGetTxs(GetTxs.newBuilder().setShortIds(ShortTxIds.pack(new long[] {shortId}, 1))).build();
    }
}
