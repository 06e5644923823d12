package org.protoblock.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkClosed;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.Txs;

/**
 * Finding 8 of issue 10 (remainder): peers that stop reading cannot make the node queue more than
 * its node-wide outbound budget, whatever their number (each session alone may queue 16 MiB). The
 * sessions holding the most are closed as SLOW_READER, and a peer that reads is still served.
 */
class OutboundBudgetTest {
    private static final long BUDGET = 8L << 20;
    private static final int STALLED = 8;
    private static final Envelope MEBIBYTE = Envelope.newBuilder()
            .setTxs(Txs.newBuilder().addTxs(ByteString.copyFrom(new byte[1 << 20]))).build();

    private final TestNet net = new TestNet(TestNet.Kind.TCP);
    private final List<RawPeer> raw = new ArrayList<>();

    @AfterEach
    void stop() {
        raw.forEach(RawPeer::close);
        net.close();
    }

    @Test
    void stalledPeersCannotQueueBeyondTheNodeBudget() throws Exception {
        TestNet.Node victim = net.node(TestNet.fastConfig().maxOutboundQueueBytes(BUDGET).build(), TestNet.chain());
        PeerAddress address = net.listen(victim);
        for (int i = 0; i < STALLED; i++) {
            RawPeer peer = RawPeer.connect(net.transport(), address);
            peer.channel().config().setAutoRead(false); // never reads what we send
            raw.add(peer);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> victim.host().sessionCount() == STALLED);
        List<Session> stalled = List.copyOf(victim.host().sessions());

        long mostQueued = 0;
        for (Session session : stalled) {
            while (session.send(MEBIBYTE)) {
                mostQueued = Math.max(mostQueued, queued(stalled));
            }
        }
        long envelope = MEBIBYTE.getSerializedSize() + 64;
        assertThat(mostQueued).as("bytes queued on all sessions").isLessThanOrEqualTo(BUDGET + envelope);
        await().atMost(Duration.ofSeconds(10)).until(() -> stalled.stream()
                .anyMatch(s -> s.closed().map(LinkClosed::reason).filter(DisconnectReason.SLOW_READER::equals).isPresent()));

        TestNet.Node honest = net.node();
        Session link = honest.host().dial(address).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> link.ping().get(5, TimeUnit.SECONDS) != null);
        assertThat(link.isOpen()).isTrue();
    }

    private static long queued(Collection<Session> sessions) {
        return sessions.stream().mapToLong(Session::queuedBytes).sum();
    }
}
