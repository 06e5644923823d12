package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.proto.TransType;
import org.protoblock.chain.proto.Transaction;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Sha256;
import org.protoblock.chain.types.TxId;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.peer.Misbehaviour;
import org.protoblock.p2p.session.PeerErrorException;
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
 * Short ids on the wire, seen from a raw peer: a peer that sends no TxRelaySalt gets full ids
 * (Inventory); one that does gets the link's 4-byte short ids ({@code tx_short_ids}, as both sides
 * derive them), can fetch bodies by them ({@code get_tx_short_ids}), and what it announces by short
 * id the node fetches by short id; malformed short id messages are scored or refused; two
 * transactions that collide on the link still get through, the second by its full id.
 */
class ShortIdRelayTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** A raw peer's view of one link: the node's salt and inventories; serves {@code bodies} by the link's short ids. */
    private static final class RawPeer {
        final AtomicLong nodeSalt = new AtomicLong();
        final BlockingQueue<Inventory> inventories = new LinkedBlockingQueue<>();
        final BlockingQueue<ByteString> shortAnnouncements = new LinkedBlockingQueue<>();
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
                        case TX_SHORT_IDS -> shortAnnouncements.add(envelope.getTxShortIds());
                        case GET_TX_SHORT_IDS -> {
                            if (!serving) {
                                return; // holds the request until the node's timeout
                            }
                            Txs.Builder txs = Txs.newBuilder();
                            for (long sid : ShortTxIds.unpack(envelope.getGetTxShortIds(), ShortTxIds.LINK_BYTES).orElseThrow()) {
                                txs.addTxs(bodiesByShortId.get(sid));
                            }
                            session.respond(envelope, Envelope.newBuilder().setTxs(txs).build());
                        }
                        default -> { }
                    }
                }
            }, Set.of(Envelope.BodyCase.TX_RELAY_SALT, Envelope.BodyCase.INVENTORY, Envelope.BodyCase.TX_SHORT_IDS,
                    Envelope.BodyCase.GET_TX_SHORT_IDS, Envelope.BodyCase.GET_MEMPOOL));
        }

        /** Sends our salt and derives the link's short ids; proves the node took it with a request answered after it. */
        Session shareSalt(PeerHost host, TestNode node, long ourSalt) throws Exception {
            Session link = host.dial(node.address()).get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> nodeSalt.get() != 0);
            assertThat(link.send(Envelope.newBuilder().setTxRelaySalt(TxRelaySalt.newBuilder().setSalt(ourSalt)).build())).isTrue();
            shortIds = ShortTxIds.forLink(ourSalt, nodeSalt.get());
            // A request by an unknown short id: answered empty, and (queued after the salt) proves the salt was taken.
            Envelope empty = link.request(getTxs(12345L)).get(10, TimeUnit.SECONDS);
            assertThat(empty.getTxs().getTxsCount()).isZero();
            return link;
        }
    }

    @Test
    void aPeerWithoutSaltGetsFullIds() throws Exception {
        onLink(true, (devnet, node, raw, host) -> {
            host.dial(node.address()).get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> raw.nodeSalt.get() != 0);
            ChainTransaction tx = devnet.nameTx("oldpeer");
            node.chain().submitTransaction(tx).get(10, TimeUnit.SECONDS);
            Inventory inv = raw.inventories.poll(10, TimeUnit.SECONDS);
            assertThat(inv).isNotNull();
            assertThat(inv.getIdsList()).containsExactly(ByteString.copyFrom(tx.id().toBytes()));
            assertThat(raw.shortAnnouncements).isEmpty();
        });
    }

    @Test
    void aPeerWithSaltGetsShortIdsFetchesByThemAndIsFetchedFromByThem() throws Exception {
        onLink(true, (devnet, node, raw, host) -> {
            Session link = raw.shareSalt(host, node, 0x1234_5678_9abc_def0L);

            ChainTransaction tx = devnet.nameTx("newpeer");
            node.chain().submitTransaction(tx).get(10, TimeUnit.SECONDS);
            ByteString announced = raw.shortAnnouncements.poll(10, TimeUnit.SECONDS);
            long sid = raw.shortIds.of(tx.id());
            assertThat(announced).isEqualTo(ShortTxIds.pack(new long[] {sid}, 1, 4));
            assertThat(Envelope.newBuilder().setTxShortIds(announced).build().getSerializedSize())
                    .as("tag, length, 4 bytes").isEqualTo(6);
            assertThat(raw.inventories).isEmpty();
            Envelope body = link.request(getTxs(sid)).get(10, TimeUnit.SECONDS);
            assertThat(body.getTxs().getTxsList()).containsExactly(tx.proto().toByteString());

            ChainTransaction ours = devnet.nameTx("fromraw");
            long ourSid = raw.shortIds.of(ours.id());
            raw.bodiesByShortId.put(ourSid, ours.proto().toByteString());
            assertThat(link.send(announce(ourSid))).isTrue();
            await().atMost(WAIT).until(() -> node.chain().mempoolContains(ours.id()));
            assertThat(node.p2p().metrics().txBodiesReceived.sum()).isEqualTo(1);
            assertThat(node.p2p().scores().score(host.nodeId())).as("no fault").isZero();
            assertThat(node.p2p().txGossip().sanityCheck().get(30, TimeUnit.SECONDS)).isEmpty();
        });
    }

    @Test
    void aPeerThatNeverServesItsShortIdsIsScoredStalling() throws Exception {
        onLink(false, (devnet, node, raw, host) -> {
            Session link = host.dial(node.address()).get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> raw.nodeSalt.get() != 0);
            assertThat(link.send(Envelope.newBuilder().setTxRelaySalt(TxRelaySalt.newBuilder().setSalt(7)).build())).isTrue();
            assertThat(link.send(announce(99))).isTrue();
            await().atMost(WAIT).until(() -> node.p2p().scores().score(host.nodeId()) > 0);
            assertThat(node.p2p().txGossip().sanityCheck().get(30, TimeUnit.SECONDS)).isEmpty();
        });
    }

    @Test
    void aRaggedShortIdAnnouncementIsScoredAndARaggedRequestRefused() throws Exception {
        onLink(true, (devnet, node, raw, host) -> {
            Session link = raw.shareSalt(host, node, 11);
            ByteString fiveBytes = ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5});
            assertThatThrownBy(() -> link.request(Envelope.newBuilder().setGetTxShortIds(fiveBytes).build()).get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(PeerErrorException.class).hasMessageContaining("BAD_REQUEST");
            ByteString tooMany = ByteString.copyFrom(new byte[(GossipConfig.defaults().maxTxsPerRequest() + 1) * ShortTxIds.LINK_BYTES]);
            assertThatThrownBy(() -> link.request(Envelope.newBuilder().setGetTxShortIds(tooMany).build()).get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(PeerErrorException.class).hasMessageContaining("BAD_REQUEST");
            assertThat(node.p2p().scores().score(host.nodeId())).as("refused, not scored").isZero();

            assertThat(link.send(Envelope.newBuilder().setTxShortIds(fiveBytes).build())).isTrue();
            // Scores decay (a 50 may read 49 a moment later); two MALFORMED reach the disconnect threshold.
            await().atMost(WAIT).until(() -> node.p2p().scores().score(host.nodeId()) >= Misbehaviour.MALFORMED.penalty() - 1);
            ByteString overLimit = ByteString.copyFrom(new byte[(GossipConfig.defaults().maxInventoryIds() + 1) * ShortTxIds.LINK_BYTES]);
            assertThat(link.send(Envelope.newBuilder().setTxShortIds(overLimit).build())).isTrue();
            await().atMost(WAIT).until(() -> !link.isOpen() || node.p2p().scores().score(host.nodeId()) > Misbehaviour.MALFORMED.penalty());
            assertThat(node.p2p().metrics().announcementsReceived.sum()).as("neither counted as announcements").isZero();
        });
    }

    /**
     * Two transactions whose 4-byte short ids collide on the link (ground with the link's key, as
     * nobody outside it can): the node announces the first by short id and, its table seeing the
     * collision, the second by full id; a request by the ambiguous short id names neither, and the
     * second is fetched by its full id.
     */
    @Test
    void transactionsThatCollideOnTheLinkStillGetThrough() throws Exception {
        onLink(true, (devnet, node, raw, host) -> {
            Session link = raw.shareSalt(host, node, 0x5eed);
            ChainTransaction[] pair = collidingPair(devnet, raw.shortIds);
            long sid = raw.shortIds.of(pair[0].id());
            assertThat(raw.shortIds.of(pair[1].id())).isEqualTo(sid);

            node.chain().submitTransaction(pair[0]).get(10, TimeUnit.SECONDS);
            assertThat(raw.shortAnnouncements.poll(10, TimeUnit.SECONDS)).isEqualTo(ShortTxIds.pack(new long[] {sid}, 1, 4));
            node.chain().submitTransaction(pair[1]).get(10, TimeUnit.SECONDS);
            Inventory full = raw.inventories.poll(10, TimeUnit.SECONDS);
            assertThat(full).isNotNull();
            assertThat(full.getIdsList()).containsExactly(ByteString.copyFrom(pair[1].id().toBytes()));
            assertThat(raw.shortAnnouncements).isEmpty();

            assertThat(link.request(getTxs(sid)).get(10, TimeUnit.SECONDS).getTxs().getTxsCount()).as("ambiguous").isZero();
            Envelope byFullId = link.request(Envelope.newBuilder().setGetTxs(GetTxs.newBuilder()
                    .addTxIds(ByteString.copyFrom(pair[1].id().toBytes()))).build()).get(10, TimeUnit.SECONDS);
            assertThat(byFullId.getTxs().getTxsList()).containsExactly(pair[1].proto().toByteString());
            assertThat(node.p2p().scores().score(host.nodeId())).isZero();
            assertThat(node.p2p().txGossip().sanityCheck().get(30, TimeUnit.SECONDS)).isEmpty();
        });
    }

    /**
     * Two DATA transactions of the producer, differing only in nonce, with the same short id under
     * {@code keys}: a birthday search over nonces (~80,000 ids for 32 bits; each costs a SHA-256 and a
     * SipHash, not a signature), then only the pair is signed.
     */
    private static ChainTransaction[] collidingPair(Devnet devnet, ShortTxIds keys) {
        String name = devnet.producerName(0);
        long base = devnet.nextNonce();
        Transaction unsigned = devnet.txBuilder(name, TransType.DATA).nonce(base).build().proto().getTrans();
        Map<Long, Long> nonceByShortId = new HashMap<>();
        for (long nonce = base; nonce < base + 4_000_000; nonce++) {
            TxId id = new TxId(Sha256.hash(unsigned.toBuilder().setNonce(nonce).build().toByteArray()));
            Long other = nonceByShortId.putIfAbsent(keys.of(id), nonce);
            if (other != null) {
                ChainTransaction a = devnet.txBuilder(name, TransType.DATA).nonce(other).build();
                ChainTransaction b = devnet.txBuilder(name, TransType.DATA).nonce(nonce).build();
                assertThat(b.id()).isEqualTo(id);
                return new ChainTransaction[] {a, b};
            }
        }
        throw new AssertionError("no 4-byte collision among 4,000,000 ids");
    }

    /** The body of a test: a node and a raw peer linked to it. */
    private interface LinkTest {
        void run(Devnet devnet, TestNode node, RawPeer raw, PeerHost host) throws Exception;
    }

    /** Runs {@code test} with a fresh node and a raw peer (which answers the node's requests by short id when {@code serving}). */
    private void onLink(boolean serving, LinkTest test) throws Exception {
        Devnet devnet = Devnet.create(1);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode node = net.addNode();
            RawPeer raw = new RawPeer();
            raw.serving = serving;
            try (PeerHost host = GossipFixtures.bareHost(net, node, raw.events)) {
                test.run(devnet, node, raw, host);
            }
        }
    }

    private static Envelope announce(long shortId) {
        return Envelope.newBuilder().setTxShortIds(ShortTxIds.pack(new long[] {shortId}, 1, ShortTxIds.LINK_BYTES)).build();
    }

    private static Envelope getTxs(long shortId) {
        return Envelope.newBuilder().setGetTxShortIds(ShortTxIds.pack(new long[] {shortId}, 1, ShortTxIds.LINK_BYTES)).build();
    }
}
