package org.protoblock.p2p.relay;

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
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.p2p.P2pNode;
import org.protoblock.p2p.discovery.SignedRecord;
import org.protoblock.p2p.handshake.Service;
import org.protoblock.p2p.host.P2pConfig;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.link.ConnectionType;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.peer.PeerConfig;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.transport.TcpTransport;
import org.protoblock.p2p.wire.proto.DialBackRequest;
import org.protoblock.p2p.wire.proto.DialBackResponse;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.RelayReservation;
import org.protoblock.p2p.wire.proto.RelayReserve;

/**
 * Three nodes on loopback TCP: R relays (a circuit switch on its port), B is private (listens
 * nowhere) and keeps a reservation at R, A reaches B by node id through R.
 */
class RelayedLinkTest {
    private final Devnet devnet = Devnet.create(1);
    private final List<AutoCloseable> closing = new ArrayList<>();
    private CircuitSwitch circuits;
    private P2pNode relay;
    private PeerAddress relayAddress;

    @AfterEach
    void close() {
        for (int i = closing.size() - 1; i >= 0; i--) {
            try {
                closing.get(i).close(); // a node a test closed early is closed again here
            } catch (Exception e) {
                throw new AssertionError("closing " + closing.get(i), e);
            }
        }
    }

    private P2pNode node(TcpTransport transport, RelayConfig config, Optional<CircuitSwitch> sw) throws Exception {
        return node(transport, config, sw, TestNetwork.fastP2pConfig().build());
    }

    private P2pNode node(TcpTransport transport, RelayConfig config, Optional<CircuitSwitch> sw, P2pConfig p2pConfig)
            throws Exception {
        Chain chain = Chain.open(ChainConfig.defaults(devnet.params()).withClock(devnet.clock()), new InMemoryChainStore());
        closing.add(chain);
        P2pNode node = P2pNode.create(chain, NodeKey.generate(), transport, p2pConfig, PeerConfig.manual(), config, sw);
        closing.add(node);
        return node;
    }

    private TcpTransport transport(Optional<CircuitSwitch> sw) {
        TcpTransport t = sw.map(s -> TcpTransport.create(1, s)).orElseGet(() -> TcpTransport.create(1));
        closing.add(t);
        return t;
    }

    /** R (relaying for anyone on loopback, with {@code budget} per circuit) and a private B holding a reservation at R. */
    private P2pNode relayAndPrivateNode(CircuitBudget budget) throws Exception {
        circuits = new CircuitSwitch(Duration.ofSeconds(10));
        RelayConfig serving = RelayConfig.defaults().withRequirePublic(false).withKeepReservations(0).withCircuitBudget(budget);
        relay = node(transport(Optional.of(circuits)), serving, Optional.of(circuits));
        relayAddress = relay.listen(PeerAddress.tcp("127.0.0.1", 0)).get(10, TimeUnit.SECONDS);
        relay.start();
        P2pNode b = node(transport(Optional.empty()), RelayConfig.defaults().withServe(false).withClientTick(Duration.ofMillis(200)),
                Optional.empty());
        b.start(); // no listener: nobody can dial B
        Session toRelay = b.dial(relayAddress).get(10, TimeUnit.SECONDS);
        assertThat(toRelay.remoteHello().services()).contains(Service.RELAY);
        NodeId bId = b.host().nodeId();
        await().atMost(Duration.ofSeconds(10)).until(() -> !b.relayClient().relayedAddresses().isEmpty());
        assertThat(b.relayClient().relayedAddresses())
                .containsExactly(SignedRecord.Address.relayed(relay.host().nodeId(), relayAddress));
        // B's record, with only its relayed address, reached R's record book.
        await().atMost(Duration.ofSeconds(10)).until(() -> relay.discovery().record(bId)
                .map(r -> r.addresses().stream().anyMatch(a -> !a.isDirect())).orElse(false));
        assertThat(relay.relayService().orElseThrow().reservationsServed()).isEqualTo(1);
        return b;
    }

    private P2pNode dialer() throws Exception {
        P2pNode a = node(transport(Optional.empty()), RelayConfig.off(), Optional.empty());
        a.listen(PeerAddress.tcp("127.0.0.1", 0)).get(10, TimeUnit.SECONDS);
        a.start();
        a.dial(relayAddress).get(10, TimeUnit.SECONDS);
        return a;
    }

    @Test
    void aReachesAPrivateNodeByIdThroughTheRelayAndGossipFlowsEndToEnd() throws Exception {
        P2pNode b = relayAndPrivateNode(CircuitBudget.RELAYED_LINK);
        P2pNode a = dialer();
        NodeId bId = b.host().nodeId();
        NodeId aId = a.host().nodeId();

        Session toB = a.dial(bId).get(20, TimeUnit.SECONDS);
        assertThat(toB.nodeId()).isEqualTo(bId);
        assertThat(toB.connection()).isEqualTo(ConnectionType.RELAYED);
        assertThat(toB.remoteAddress()).isEqualTo(relayAddress);
        assertThat(toB.remoteHello().observedAddress()).isEmpty(); // B does not call R's address ours
        await().atMost(Duration.ofSeconds(10)).until(() -> b.host().session(aId).isPresent());
        Session atB = b.host().session(aId).orElseThrow();
        assertThat(atB.connection()).isEqualTo(ConnectionType.RELAYED);
        assertThat(atB.direction()).isEqualTo(Direction.INBOUND);
        assertThat(circuits.openCircuits()).isEqualTo(1);
        assertThat(toB.ping().get(10, TimeUnit.SECONDS)).isPositive();
        // A dial-back over a relayed link would aim at the relay's host: refused.
        Envelope dialBack = toB.request(Envelope.newBuilder().setDialBackRequest(DialBackRequest.newBuilder()
                .setAddress(relayAddress.toString()).setNonce(7)).build()).get(10, TimeUnit.SECONDS);
        assertThat(dialBack.getDialBackResponse().getStatus()).isEqualTo(DialBackResponse.Status.REFUSED);

        // Only the relayed link joins A and B now: a transaction A takes must reach B over it.
        relay.host().session(aId).orElseThrow().disconnect(DisconnectReason.REQUESTED, "test: only the circuit stays");
        await().atMost(Duration.ofSeconds(10)).until(() -> a.host().session(relay.host().nodeId()).isEmpty());
        ChainTransaction tx = devnet.nameTx("relayed-alice");
        a.chain().submitTransaction(tx).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(15)).until(() -> b.chain().mempoolContains(tx.id()));
        assertThat(circuits.bytesRelayed()).isPositive();
        // R never stored its own address as B's or A's.
        assertThat(a.discovery().knownPeers()).noneMatch(k -> k.nodeId().equals(bId));

        toB.disconnect(DisconnectReason.REQUESTED, "test: done");
        await().atMost(Duration.ofSeconds(10)).until(() -> circuits.openCircuits() == 0 && b.host().session(aId).isEmpty());
    }

    @Test
    void aCircuitOverItsByteBudgetIsClosed() throws Exception {
        // Enough for the handshake, Hello and a few transactions, not for hundreds.
        int budget = 16 << 10;
        P2pNode b = relayAndPrivateNode(new CircuitBudget(Duration.ofMinutes(10), budget));
        P2pNode a = dialer();
        Session toB = a.dial(b.host().nodeId()).get(20, TimeUnit.SECONDS);
        assertThat(circuits.openCircuits()).isEqualTo(1);
        assertThat(toB.ping().get(10, TimeUnit.SECONDS)).isPositive(); // works until the budget is spent
        for (int i = 0; i < 400 && toB.isOpen(); i++) {
            a.chain().submitTransaction(devnet.nameTx("budget-" + i)).get(10, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !toB.isOpen() && circuits.openCircuits() == 0);
        assertThat(circuits.bytesRelayed()).isLessThanOrEqualTo(2L * budget);
        assertThat(b.host().session(a.host().nodeId())).isEmpty();
    }

    /** A public relay on a port of its own. */
    private P2pNode startRelay(CircuitSwitch sw) throws Exception {
        P2pNode r = node(transport(Optional.of(sw)), RelayConfig.defaults().withRequirePublic(false).withKeepReservations(0),
                Optional.of(sw));
        r.listen(PeerAddress.tcp("127.0.0.1", 0)).get(10, TimeUnit.SECONDS);
        r.start();
        return r;
    }

    @Test
    void aPrivateNodeKeepsTwoRelaysAndIsReachedThroughTheOtherWhenItsDirectAddressAndOneRelayFail() throws Exception {
        CircuitSwitch sw1 = new CircuitSwitch(Duration.ofSeconds(10));
        CircuitSwitch sw2 = new CircuitSwitch(Duration.ofSeconds(10));
        P2pNode r1 = startRelay(sw1);
        P2pNode r2 = startRelay(sw2);
        PeerAddress dead = PeerAddress.tcp("127.0.0.1", 1); // in B's record, but nobody listens there
        P2pNode b = node(transport(Optional.empty()), RelayConfig.defaults().withServe(false).withClientTick(Duration.ofMillis(200)),
                Optional.empty(), TestNetwork.fastP2pConfig().advertisedAddresses(List.of(dead)).build());
        b.start();
        PeerAddress r1Address = r1.host().listenAddresses().get(0);
        PeerAddress r2Address = r2.host().listenAddresses().get(0);
        b.dial(r1Address).get(10, TimeUnit.SECONDS);
        b.dial(r2Address).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.relayClient().relayedAddresses().size() == 2);
        NodeId bId = b.host().nodeId();
        await().atMost(Duration.ofSeconds(10)).until(() -> r2.discovery().record(bId)
                .map(r -> r.addresses().size() == 3).orElse(false));
        assertThat(r2.discovery().record(bId).orElseThrow().addresses().get(0)).isEqualTo(SignedRecord.Address.direct(dead));

        P2pNode a = node(transport(Optional.empty()), RelayConfig.off(), Optional.empty());
        a.start();
        a.dial(r2Address).get(10, TimeUnit.SECONDS);
        r1.close(); // B's first relay goes away
        Session toB = a.dial(bId).get(30, TimeUnit.SECONDS); // the dead direct address, maybe R1, then R2
        assertThat(toB.connection()).isEqualTo(ConnectionType.RELAYED);
        assertThat(toB.remoteAddress()).isEqualTo(r2Address);
        assertThat(sw2.openCircuits()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.relayClient().relayedAddresses()
                .equals(List.of(SignedRecord.Address.relayed(r2.host().nodeId(), r2Address))));
    }

    @Test
    void aRelayWhoseReachabilityIsNotPublicGrantsNothing() throws Exception {
        CircuitSwitch sw = new CircuitSwitch(Duration.ofSeconds(10));
        P2pNode unknown = node(transport(Optional.of(sw)), RelayConfig.defaults(), Optional.of(sw)); // requires PUBLIC
        PeerAddress at = unknown.listen(PeerAddress.tcp("127.0.0.1", 0)).get(10, TimeUnit.SECONDS);
        unknown.start();
        P2pNode b = node(transport(Optional.empty()), RelayConfig.off(), Optional.empty());
        b.start();
        Session toRelay = b.dial(at).get(10, TimeUnit.SECONDS);
        assertThat(toRelay.remoteHello().services()).contains(Service.RELAY); // offered while reachability is unknown
        Envelope answer = toRelay.request(Envelope.newBuilder().setRelayReserve(RelayReserve.getDefaultInstance()).build())
                .get(10, TimeUnit.SECONDS);
        assertThat(answer.getRelayReservation().getStatus()).isEqualTo(RelayReservation.Status.NO_RELAY);
        assertThat(unknown.relayService().orElseThrow().reservationsServed()).isZero();
    }

    @Test
    void aNodeWithoutAReservationIsNotReachableAndTheErrorSaysWhy() throws Exception {
        circuits = new CircuitSwitch(Duration.ofSeconds(10));
        relay = node(transport(Optional.of(circuits)), RelayConfig.defaults().withRequirePublic(false).withKeepReservations(0),
                Optional.of(circuits));
        relayAddress = relay.listen(PeerAddress.tcp("127.0.0.1", 0)).get(10, TimeUnit.SECONDS);
        relay.start();
        P2pNode a = dialer();
        NodeId nobody = NodeKey.generate().nodeId();
        SignedRecord.Address via = SignedRecord.Address.relayed(relay.host().nodeId(), relayAddress);
        assertThatThrownBy(() -> a.relayClient().dial(nobody, via).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RelayDialException.class).hasMessageContaining("NO_RESERVATION");
        assertThat(circuits.pendingCircuits()).isZero();
    }
}
