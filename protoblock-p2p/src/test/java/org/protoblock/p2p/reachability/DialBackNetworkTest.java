package org.protoblock.p2p.reachability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.p2p.peer.PeerConfig;
import org.protoblock.p2p.session.PeerErrorException;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.DialBackRequest;
import org.protoblock.p2p.wire.proto.DialBackResponse;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;

/**
 * Dial-back checks over real TCP links on loopback (the one-host setting: loopback addresses are
 * candidates). The NAT lab in protoblock-node runs the same machinery through real address translation.
 */
class DialBackNetworkTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static PeerConfig checking(int confirmations) {
        return PeerConfig.manual().toBuilder()
                .reachability(ReachabilityConfig.defaults().withPortMapping(false).onOneHost(confirmations)).build();
    }

    private TestNetwork network() {
        return new TestNetwork(Devnet.create(1), TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir);
    }

    private static TestNode add(TestNetwork net, PeerConfig config, Optional<String> host) throws Exception {
        return net.addNode(net.chainConfig(), TestNetwork.fastP2pConfig().build(), config, host);
    }

    @Test
    void aPeerThatDialsUsBackVerifiesOurAddressAndOnlyThatIsAdvertisedBeyondLoopback() throws Exception {
        try (TestNetwork net = network()) {
            TestNode server = add(net, PeerConfig.manual(), Optional.empty());
            TestNode node = add(net, checking(1), Optional.empty());
            ReachabilityChecker checker = node.p2p().reachability();
            PeerAddress remotePeer = PeerAddress.tcp("203.0.113.7", 8125);
            assertThat(checker.advertisedTo(remotePeer, node.p2p().host().listenAddresses())).isEmpty();

            net.connect(node, server);

            await().atMost(DEADLINE).until(() -> checker.current().state() == Reachability.State.PUBLIC);
            assertThat(checker.current().verified()).containsExactly(node.address());
            assertThat(node.p2p().host().advertisedTo(remotePeer)).containsExactly(node.address());
            assertThat(node.p2p().host().advertisedTo(PeerAddress.tcp("127.0.0.1", 1)))
                    .isEqualTo(node.p2p().host().listenAddresses());
            assertThat(server.p2p().metrics().dialBacksSucceeded.sum()).isPositive();
            assertThat(node.p2p().metrics().dialBacksConfirmed.sum()).isPositive();
            assertThat(node.p2p().host().sessionCount()).as("a dial-back link is no session").isEqualTo(1);
            // The server proved where the node listens: its book holds that address as tried, to share.
            await().atMost(DEADLINE).until(() -> server.p2p().discovery().knownPeers().stream()
                    .anyMatch(p -> p.nodeId().equals(node.p2p().host().nodeId()) && p.address().equals(node.address()) && p.tried()));
        }
    }

    @Test
    void anAddressNobodyCanDialIsRefutedAndTheNodeIsPrivate() throws Exception {
        try (TestNetwork net = network()) {
            TestNode server = add(net, PeerConfig.manual(), Optional.empty());
            // Listening on 127.3.0.1, dialing out from 127.0.0.1: the server sees us where we do not listen.
            TestNode node = add(net, checking(1), Optional.of("127.3.0.1"));

            net.connect(node, server);

            await().atMost(DEADLINE).until(() -> node.p2p().reachability().current().state() == Reachability.State.PRIVATE);
            assertThat(node.p2p().reachability().current().verified()).isEmpty();
            assertThat(server.p2p().metrics().dialBacksFailed.sum()).isPositive();
        }
    }

    @Test
    void peersOnOneIpCountOnce() throws Exception {
        try (TestNetwork net = network()) {
            TestNode a = add(net, PeerConfig.manual(), Optional.empty());
            TestNode b = add(net, PeerConfig.manual(), Optional.empty());
            TestNode node = add(net, checking(2), Optional.empty());
            net.connect(node, a);
            net.connect(node, b);

            await().atMost(DEADLINE).until(() -> node.p2p().metrics().dialBacksConfirmed.sum() >= 1);
            // Both servers are 127.0.0.1: one confirmation of the two needed, however long we wait for more.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> node.p2p().reachability().current().state() == Reachability.State.UNKNOWN);
            assertThat(node.p2p().metrics().dialBacksRequested.sum()).isEqualTo(1);
        }
    }

    @Test
    void theServerDialsOnlyTheRequestersOwnIpAndOnlyTheRequestersIdentity() throws Exception {
        try (TestNetwork net = network()) {
            TestNode server = add(net, PeerConfig.manual(), Optional.empty());
            TestNode requester = add(net, PeerConfig.manual(), Optional.empty());
            TestNode bystander = add(net, PeerConfig.manual(), Optional.empty());
            net.connect(requester, server);
            Session link = requester.p2p().host().session(server.p2p().host().nodeId()).orElseThrow();

            DialBackResponse otherIp = ask(link, "tcp://127.0.0.2:" + requester.address().port(), 1);
            assertThat(otherIp.getStatus()).isEqualTo(DialBackResponse.Status.REFUSED);
            assertThat(ask(link, "tcp://example.org:80", 2).getStatus()).isEqualTo(DialBackResponse.Status.REFUSED);

            // The bystander listens on the requester's IP, but Noise shows it is not the requester.
            DialBackResponse wrongNode = ask(link, bystander.address().toString(), 3);
            assertThat(wrongNode.getStatus()).isEqualTo(DialBackResponse.Status.DIAL_ERROR);
            assertThat(bystander.p2p().host().sessionCount()).isZero();
            assertThat(server.p2p().metrics().dialBacksSucceeded.sum()).isZero();
        }
    }

    @Test
    void requestsBeyondThePeersBurstAreBusy() throws Exception {
        try (TestNetwork net = network()) {
            TestNode server = add(net, PeerConfig.manual(), Optional.empty());
            TestNode requester = add(net, PeerConfig.manual(), Optional.empty());
            net.connect(requester, server);
            Session link = requester.p2p().host().session(server.p2p().host().nodeId()).orElseThrow();
            int burst = ReachabilityConfig.defaults().serverBurst();
            for (int i = 0; i < burst; i++) {
                assertThat(ask(link, requester.address().toString(), i).getStatus()).isEqualTo(DialBackResponse.Status.OK);
            }
            try {
                ask(link, requester.address().toString(), burst);
                throw new AssertionError("expected BUSY");
            } catch (CompletionException e) {
                assertThat(e.getCause()).isInstanceOfSatisfying(PeerErrorException.class,
                        p -> assertThat(p.code()).isEqualTo(ErrorResponse.Code.BUSY));
            }
        }
    }

    private static DialBackResponse ask(Session link, String address, long nonce) {
        Envelope answer = link.request(Envelope.newBuilder().setDialBackRequest(
                DialBackRequest.newBuilder().setAddress(address).setNonce(nonce)).build()).orTimeout(20, TimeUnit.SECONDS).join();
        assertThat(answer.getBodyCase()).isEqualTo(Envelope.BodyCase.DIAL_BACK_RESPONSE);
        return answer.getDialBackResponse();
    }
}
