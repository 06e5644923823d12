package org.protoblock.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.p2p.chain.StaticChainInfo;
import org.protoblock.p2p.handshake.ProtocolVersion;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkClosedException;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;

/** Incompatible peers are refused with a reason that both sides' listeners get. */
class HandshakeRefusalTest {

    private static void assertDialRefused(CompletableFuture<Session> dial, DisconnectReason reason) {
        assertThatThrownBy(() -> dial.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(LinkClosedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static void assertBothSee(TestNet.Node a, TestNet.Node b, DisconnectReason reason) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(a.events().reasons()).containsExactly(reason);
            assertThat(b.events().reasons()).containsExactly(reason);
        });
        assertThat(a.host().sessionCount()).isZero();
        assertThat(b.host().sessionCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(TestNet.Kind.class)
    void wrongNetwork(TestNet.Kind kind) throws Exception {
        try (TestNet net = new TestNet(kind)) {
            TestNet.Node server = net.node();
            TestNet.Node client = net.node(TestNet.fastConfig().build(),
                    new StaticChainInfo("mainnet", TestNet.GENESIS, new ChainHead(BlockId.fromHex("00".repeat(32)), 1)));
            PeerAddress addr = net.listen(server);
            assertDialRefused(client.host().dial(addr), DisconnectReason.WRONG_NETWORK);
            assertBothSee(server, client, DisconnectReason.WRONG_NETWORK);
            assertThat(server.events().connected).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestNet.Kind.class)
    void wrongGenesis(TestNet.Kind kind) throws Exception {
        try (TestNet net = new TestNet(kind)) {
            TestNet.Node server = net.node();
            TestNet.Node client = net.node(TestNet.fastConfig().build(),
                    new StaticChainInfo(TestNet.NETWORK, BlockId.fromHex("ee".repeat(32)), new ChainHead(BlockId.fromHex("00".repeat(32)), 1)));
            PeerAddress addr = net.listen(server);
            assertDialRefused(client.host().dial(addr), DisconnectReason.WRONG_GENESIS);
            assertBothSee(server, client, DisconnectReason.WRONG_GENESIS);
        }
    }

    @ParameterizedTest
    @EnumSource(TestNet.Kind.class)
    void incompatibleVersion(TestNet.Kind kind) throws Exception {
        try (TestNet net = new TestNet(kind)) {
            // The server speaks the current version and needs it; the old client speaks the one before (and would accept the server's).
            int current = ProtocolVersion.DEFAULT.current();
            TestNet.Node server = net.node(TestNet.fastConfig().protocolVersion(ProtocolVersion.DEFAULT).build(), TestNet.chain());
            TestNet.Node client = net.node(TestNet.fastConfig().protocolVersion(new ProtocolVersion(current - 1, current - 1)).build(),
                    TestNet.chain());
            PeerAddress addr = net.listen(server);
            CompletableFuture<Session> dial = client.host().dial(addr);
            // The client accepted the server's Hello, so its dial may complete before the refusal lands;
            // what matters is the reason both sides end up with.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(server.events().reasons()).containsExactly(DisconnectReason.INCOMPATIBLE_VERSION);
                assertThat(client.events().reasons()).containsExactly(DisconnectReason.INCOMPATIBLE_VERSION);
            });
            await().atMost(Duration.ofSeconds(10)).until(dial::isDone);
            assertThat(client.host().sessionCount()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(TestNet.Kind.class)
    void dialingAnExpectedNodeIdThatAnswersWithAnotherKeyFails(TestNet.Kind kind) throws Exception {
        try (TestNet net = new TestNet(kind)) {
            TestNet.Node server = net.node();
            TestNet.Node client = net.node();
            PeerAddress addr = net.listen(server);
            NodeKey someoneElse = NodeKey.generate();
            assertDialRefused(client.host().dial(addr, Optional.of(someoneElse.nodeId())), DisconnectReason.UNEXPECTED_IDENTITY);
            await().atMost(Duration.ofSeconds(10)).until(() -> client.events().failures.size() == 1);
            assertThat(client.events().failures).singleElement()
                    .satisfies(f -> assertThat(f.closed().detail()).contains(someoneElse.nodeId().shortForm()));
            // The server never learned who we are: we left before message 3.
            await().atMost(Duration.ofSeconds(10)).until(() -> server.events().failures.size() == 1);
            assertThat(server.events().failures.get(0).nodeId()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestNet.Kind.class)
    void selfConnectionIsRefused(TestNet.Kind kind) throws Exception {
        try (TestNet net = new TestNet(kind)) {
            TestNet.Node node = net.node();
            PeerAddress addr = net.listen(node);
            assertDialRefused(node.host().dial(addr), DisconnectReason.SELF_CONNECTION);
            await().atMost(Duration.ofSeconds(10)).until(() -> node.events().failures.size() == 2);
            assertThat(node.events().reasons()).containsOnly(DisconnectReason.SELF_CONNECTION);
        }
    }

    @ParameterizedTest
    @EnumSource(TestNet.Kind.class)
    void secondLinkToTheSamePeerIsADuplicate(TestNet.Kind kind) throws Exception {
        try (TestNet net = new TestNet(kind)) {
            TestNet.Node server = net.node();
            TestNet.Node client = net.node();
            PeerAddress addr = net.listen(server);
            Session first = client.host().dial(addr).get(10, TimeUnit.SECONDS);
            // Same dialer again: the new link replaces the old one on both sides (the old is likely dead).
            Session second = client.host().dial(addr).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> !first.isOpen());
            assertThat(first.closed()).hasValueSatisfying(c -> assertThat(c.reason()).isIn(DisconnectReason.DUPLICATE_CONNECTION));
            assertThat(second.isOpen()).isTrue();
            assertThat(client.host().sessionCount()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.host().sessionCount() == 1);
        }
    }

    @ParameterizedTest
    @EnumSource(TestNet.Kind.class)
    void fullNodeRefusesWithTooManyPeers(TestNet.Kind kind) throws Exception {
        try (TestNet net = new TestNet(kind)) {
            TestNet.Node server = net.node(TestNet.fastConfig().maxSessions(1).build(), TestNet.chain());
            PeerAddress addr = net.listen(server);
            net.node().host().dial(addr).get(10, TimeUnit.SECONDS);
            TestNet.Node late = net.node();
            CompletableFuture<Session> dial = late.host().dial(addr);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(late.events().reasons()).containsExactly(DisconnectReason.TOO_MANY_PEERS));
            await().atMost(Duration.ofSeconds(10)).until(dial::isDone);
            assertThat(server.host().sessionCount()).isEqualTo(1);
        }
    }
}
