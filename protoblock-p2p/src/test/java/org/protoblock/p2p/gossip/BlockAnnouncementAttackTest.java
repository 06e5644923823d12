package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.proto.SignedBlockHeader;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.peer.Misbehaviour;
import org.protoblock.p2p.session.PeerErrorException;
import org.protoblock.p2p.session.PeerEvents;
import org.protoblock.p2p.session.PeerListener;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.GetBlockTxs;
import org.protoblock.p2p.wire.proto.NewBlock;

/**
 * Finding 6 of issue 10: block announcements from a peer that means harm. A header nobody signed
 * costs no request and is scored; one peer's announcements hold at most
 * {@link GossipConfig#maxBlocksInFlightPerPeer} in-flight slots; an announcer that stalls is scored
 * and the block is fetched from the next announcer; short ids that are not the block's (here one
 * for a block of two) convict the announcer once the block is known.
 */
class BlockAnnouncementAttackTest {
    @TempDir
    Path dir;

    /** A peer that counts the block requests it gets and answers none of them. */
    private static final class Attacker implements AutoCloseable {
        final AtomicInteger blockRequests = new AtomicInteger();
        final PeerHost host;
        final Session link;

        Attacker(TestNetwork net, TestNode victim) throws Exception {
            PeerEvents events = new PeerEvents();
            events.register(new PeerListener() {
                @Override
                public void message(Session session, Envelope envelope) {
                    blockRequests.incrementAndGet();
                }
            }, Set.of(Envelope.BodyCase.GET_BLOCK_TXS, Envelope.BodyCase.GET_BLOCKS));
            host = GossipFixtures.bareHost(net, victim, events);
            link = host.dial(victim.address()).get(10, TimeUnit.SECONDS);
        }

        void announce(SignedBlockHeader header, long nonce, long[] shortIds) {
            assertThat(link.send(Envelope.newBuilder().setNewBlock(NewBlock.newBuilder().setSignedHeader(header.toByteString())
                    .setShortIdNonce(nonce).setShortIds(ShortTxIds.pack(shortIds, shortIds.length, ShortTxIds.BLOCK_BYTES))).build())).isTrue();
        }

        void announce(ChainBlock block) {
            CompactBlock compact = CompactBlock.of(block, 7);
            announce(compact.signedHeader(), compact.nonce(), compact.shortIds());
        }

        /** Returns once every message the victim sent before answering this has arrived here. */
        void roundTrip() {
            Throwable answer = catchThrowable(() -> link.request(Envelope.newBuilder().setGetBlockTxs(GetBlockTxs.newBuilder()
                    .setBlockId(ByteString.copyFrom(new byte[32]))).build()).get(10, TimeUnit.SECONDS));
            assertThat(answer).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(PeerErrorException.class);
        }

        @Override
        public void close() {
            host.close();
        }
    }

    @Test
    void anUnsignedHeaderIsScoredBeforeAnythingIsFetched() throws Exception {
        Devnet devnet = Devnet.create(1);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode victim = net.addNode();
            ChainBlock real = devnet.childOf(devnet.genesis(), 0, devnet.nameTx("real"));
            ChainBlock other = devnet.childOf(devnet.genesis(), 0, devnet.nameTx("other"));
            SignedBlockHeader forged = real.proto().getSignedhead().toBuilder().setSig(other.proto().getSignedhead().getSig()).build();
            try (Attacker attacker = new Attacker(net, victim)) {
                attacker.announce(forged, 7, CompactBlock.of(real, 7).shortIds());
                await().atMost(Duration.ofSeconds(5)).until(() -> victim.p2p().scores().score(attacker.host.nodeId()) > 0);
                // Scored INVALID_BLOCK in the task that would have sent the requests, so none follow.
                await().atMost(Duration.ofSeconds(5)).until(() -> !attacker.link.isOpen());
                assertThat(attacker.blockRequests).hasValue(0);
            }
        }
    }

    @Test
    void onePeerHoldsAtMostItsShareOfTheInFlightSlots() throws Exception {
        Devnet devnet = Devnet.create(1);
        int perPeer = GossipConfig.defaults().maxBlocksInFlightPerPeer();
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode victim = net.addNode();
            try (Attacker attacker = new Attacker(net, victim)) {
                for (int i = 0; i < perPeer + 6; i++) {
                    ChainBlock sibling = devnet.childOf(devnet.genesis(), 0, devnet.nameTx("sibling" + i));
                    attacker.announce(sibling);
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> victim.p2p().metrics().announcementsReceived.sum() >= perPeer + 6);
                attacker.roundTrip();
                assertThat(attacker.blockRequests).hasValue(perPeer);
            }
        }
    }

    @Test
    void aStallingAnnouncerOfWrongShortIdsIsScoredAndTheBlockComesFromTheNextAnnouncer() throws Exception {
        Devnet devnet = Devnet.create(1);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode victim = net.addNode();
            TestNode honest = net.addNode();
            net.connect(honest, victim);
            ChainBlock block = devnet.childOf(devnet.genesis(), 0, devnet.nameTx("left"), devnet.nameTx("right"));
            long[] oneOfTwo = {CompactBlock.of(block, 7).shortIds()[0]};
            try (Attacker attacker = new Attacker(net, victim)) {
                attacker.announce(block.proto().getSignedhead(), 7, oneOfTwo);
                await().atMost(Duration.ofSeconds(5)).until(() -> attacker.blockRequests.get() > 0);

                honest.chain().submitBlock(block).get(10, TimeUnit.SECONDS); // honest announces it too
                await().atMost(Duration.ofSeconds(20)).until(() -> victim.chain().hasBlock(block.id()));
                // Scored for both: the wrong short ids, plus what is left of the stall's penalty after decay.
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> victim.p2p().scores().score(attacker.host.nodeId()) > Misbehaviour.INVALID_BLOCK.penalty());
            }
        }
    }
}
