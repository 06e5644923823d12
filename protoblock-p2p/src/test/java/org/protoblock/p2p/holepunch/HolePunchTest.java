package org.protoblock.p2p.holepunch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.service.ChainConfig;
import org.protoblock.chain.store.InMemoryChainStore;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.p2p.P2pNode;
import org.protoblock.p2p.discovery.SignedRecord;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.link.ConnectionType;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.metrics.HolePunchFailure;
import org.protoblock.p2p.peer.PeerConfig;
import org.protoblock.p2p.relay.CircuitSwitch;
import org.protoblock.p2p.relay.RelayConfig;
import org.protoblock.p2p.session.PeerErrorException;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.transport.TcpTransport;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.HolePunchConnect;

/**
 * Hole punching on loopback TCP: R relays, B keeps a reservation at R, A reaches B through R; then
 * B coordinates a punch over the relayed link and both dial from their listening ports. Without
 * NATs the kernel may turn either SYN into an accept on the other's listener instead of a
 * simultaneous open; both paths must end in one HOLEPUNCHED link that replaced the relayed one.
 */
class HolePunchTest {
    private static final HolePunchConfig ON_ONE_HOST = HolePunchConfig.defaults().withLoopbackCandidates(true);

    private final Devnet devnet = Devnet.create(1);
    private final List<AutoCloseable> closing = new ArrayList<>();
    private CircuitSwitch circuits;
    private P2pNode relay;
    private PeerAddress relayAddress;

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    /** Homes on NIO instead of epoll (both must dial from their listening port). */
    private boolean nio;

    private P2pNode node(Optional<CircuitSwitch> sw, RelayConfig relayConfig, HolePunchConfig punch, NodeKey key)
            throws Exception {
        TcpTransport transport = sw.map(s -> TcpTransport.create(1, s)).orElseGet(() -> nio ? TcpTransport.createNio(1) : TcpTransport.create(1));
        closing.add(transport);
        Chain chain = Chain.open(ChainConfig.defaults(devnet.params()).withClock(devnet.clock()), new InMemoryChainStore());
        closing.add(chain);
        P2pNode node = P2pNode.create(chain, key, transport, TestNetwork.fastP2pConfig().build(), PeerConfig.manual(),
                relayConfig, sw, punch);
        closing.add(node);
        return node;
    }

    private void startRelay() throws Exception {
        circuits = new CircuitSwitch(Duration.ofSeconds(10));
        relay = node(Optional.of(circuits), RelayConfig.defaults().withRequirePublic(false).withKeepReservations(0),
                HolePunchConfig.off(), NodeKey.generate());
        relayAddress = relay.listen(PeerAddress.tcp("127.0.0.1", 0)).get(10, TimeUnit.SECONDS);
        relay.start();
    }

    /** A node listening on loopback, linked to R; with {@code reserve} it holds a reservation there. */
    private P2pNode home(boolean reserve, HolePunchConfig punch, NodeKey key) throws Exception {
        RelayConfig config = reserve ? RelayConfig.defaults().withServe(false).withClientTick(Duration.ofMillis(200)) : RelayConfig.off();
        P2pNode n = node(Optional.empty(), config, punch, key);
        n.listen(PeerAddress.tcp("127.0.0.1", 0)).get(10, TimeUnit.SECONDS);
        n.start();
        n.dial(relayAddress).get(10, TimeUnit.SECONDS);
        if (reserve) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !n.relayClient().relayedAddresses().isEmpty());
        }
        return n;
    }

    private Session relayed(P2pNode a, P2pNode b) throws Exception {
        Session link = a.relayClient().dial(b.host().nodeId(), SignedRecord.Address.relayed(relay.host().nodeId(), relayAddress))
                .get(20, TimeUnit.SECONDS);
        assertThat(link.connection()).isEqualTo(ConnectionType.RELAYED);
        return link;
    }

    private static Optional<ConnectionType> connection(P2pNode from, P2pNode to) {
        return from.host().session(to.host().nodeId()).filter(Session::isOpen).map(Session::connection);
    }

    @Test
    void aRelayedLinkIsReplacedByAHolePunchedOneAtBothEnds() throws Exception {
        punchOnce();
    }

    @Test
    void nioTransportsPunchToo() throws Exception {
        nio = true;
        punchOnce();
    }

    private void punchOnce() throws Exception {
        startRelay();
        P2pNode b = home(true, ON_ONE_HOST, NodeKey.generate());
        P2pNode a = home(false, ON_ONE_HOST, NodeKey.generate());
        Session overRelay = relayed(a, b);

        await().atMost(Duration.ofSeconds(15)).until(() -> connection(a, b).equals(Optional.of(ConnectionType.HOLEPUNCHED))
                && connection(b, a).equals(Optional.of(ConnectionType.HOLEPUNCHED)));
        await().atMost(Duration.ofSeconds(10)).until(() -> !overRelay.isOpen() && circuits.openCircuits() == 0);
        assertThat(overRelay.closed().orElseThrow().reason()).isEqualTo(DisconnectReason.DUPLICATE_CONNECTION);
        Session direct = a.host().session(b.host().nodeId()).orElseThrow();
        assertThat(direct.remoteAddress()).isEqualTo(b.host().listenAddresses().get(0)); // B's listening port: dialed from it
        assertThat(direct.ping().get(10, TimeUnit.SECONDS)).isPositive();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.metrics().holePunchSuccesses.sum() == 1
                && b.metrics().holePunchSuccesses.sum() == 1);
        assertThat(b.holePunch().inProgress()).isZero();
        assertThat(a.holePunch().inProgress()).isZero();
        assertThat(b.host().sessionCount()).isEqualTo(2); // R and A: nothing else was dialed
    }

    @Test
    void aPeerThatDoesNotPunchLeavesTheRelayedLinkAndIsNotAskedAgainWhileBackingOff() throws Exception {
        startRelay();
        P2pNode b = home(true, ON_ONE_HOST, NodeKey.generate());
        P2pNode a = home(false, ON_ONE_HOST.withEnabled(false), NodeKey.generate());
        Session first = relayed(a, b);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.metrics().holePunchFailures.get(HolePunchFailure.NO_ANSWER).sum() == 1);
        assertThat(first.isOpen()).isTrue();
        assertThat(connection(b, a)).contains(ConnectionType.RELAYED);

        // A fresh relayed link to the same peer: the backoff (1 min) holds the next punch back.
        first.disconnect(DisconnectReason.REQUESTED, "test: a fresh link");
        await().atMost(Duration.ofSeconds(10)).until(() -> b.host().session(a.host().nodeId()).isEmpty());
        relayed(a, b);
        await().atMost(Duration.ofSeconds(10)).until(() -> connection(b, a).equals(Optional.of(ConnectionType.RELAYED)));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> b.metrics().holePunchAttempts.sum() == 1 && b.holePunch().inProgress() == 0);
    }

    @Test
    void aDirectLinkReplacesARelayedOneEvenWhenTheRelayedDialerHasTheSmallerId() throws Exception {
        startRelay();
        // A dials the relayed link and has the smaller id: by the dialer rule alone, its link would stay.
        NodeKey aKey = NodeKey.generate();
        NodeKey bKey = NodeKey.generate();
        if (aKey.nodeId().compareTo(bKey.nodeId()) > 0) {
            NodeKey t = aKey;
            aKey = bKey;
            bKey = t;
        }
        P2pNode b = home(true, HolePunchConfig.off(), bKey);
        P2pNode a = home(false, HolePunchConfig.off(), aKey);
        Session overRelay = relayed(a, b);
        await().atMost(Duration.ofSeconds(10)).until(() -> connection(b, a).isPresent());

        Session direct = b.dial(a.host().listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
        assertThat(direct.connection()).isEqualTo(ConnectionType.DIRECT);
        await().atMost(Duration.ofSeconds(10)).until(() -> !overRelay.isOpen()
                && connection(a, b).equals(Optional.of(ConnectionType.DIRECT)) && connection(b, a).equals(Optional.of(ConnectionType.DIRECT)));
        assertThat(overRelay.closed().orElseThrow().detail()).contains("replaced by a direct link");
        // And a relayed link never displaces the direct one.
        NodeId bId = b.host().nodeId();
        Session directAtA = a.host().session(bId).orElseThrow();
        try {
            a.relayClient().dial(bId, SignedRecord.Address.relayed(relay.host().nodeId(), relayAddress)).get(20, TimeUnit.SECONDS);
        } catch (Exception refused) {
            // DUPLICATE_CONNECTION at one end or the other
        }
        assertThat(a.host().session(bId)).containsSame(directAtA);
        assertThat(directAtA.isOpen()).isTrue();
    }

    @Test
    void aMalformedConnectIsRefusedAndScoredAndAConnectOverADirectLinkIsRefused() throws Exception {
        startRelay();
        P2pNode b = home(true, HolePunchConfig.off(), NodeKey.generate()); // B does not coordinate: the test speaks for it
        P2pNode a = home(false, ON_ONE_HOST, NodeKey.generate());
        relayed(a, b);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.host().session(a.host().nodeId()).isPresent());
        Session atB = b.host().session(a.host().nodeId()).orElseThrow();
        Envelope named = Envelope.newBuilder().setHolePunchConnect(HolePunchConnect.newBuilder()
                .addAddresses("tcp://node.example:8125")).build();
        assertThatThrownBy(() -> atB.request(named).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(PeerErrorException.class).hasMessageContaining("BAD_REQUEST");
        await().atMost(Duration.ofSeconds(5)).until(() -> a.scores().score(b.host().nodeId()) > 0);
        assertThat(a.holePunch().inProgress()).isZero();

        Session direct = a.host().session(relay.host().nodeId()).orElseThrow(); // A dialed R directly
        Session atR = relay.host().session(a.host().nodeId()).orElseThrow();
        assertThat(direct.connection()).isEqualTo(ConnectionType.DIRECT);
        assertThatThrownBy(() -> atR.request(PunchAddresses.connect(List.of(PeerAddress.tcp("127.0.0.1", 1)))).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(PeerErrorException.class).hasMessageContaining("relayed link");
    }
}
