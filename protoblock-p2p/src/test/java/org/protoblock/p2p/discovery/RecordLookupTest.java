package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.p2p.chain.StaticChainInfo;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.identity.IdentityKey;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.peer.Misbehaviour;
import org.protoblock.p2p.session.PeerEvents;
import org.protoblock.p2p.session.PeerListener;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.PeerRecordAnswer;

/** The asking side of {@link RecordLookup} against raw peers that stay silent or lie. */
class RecordLookupTest {
    @TempDir
    Path dir;

    @Test
    void aSilentPeerEndsTheLookupEmptyAtTheTimeout() throws Exception {
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode asker = net.addNode();
            try (PeerHost silent = rawPeer(net, asker, request -> Optional.empty())) {
                silent.dial(asker.address()).get(20, TimeUnit.SECONDS);
                NodeId wanted = IdentityKey.generate().nodeId();
                long start = System.nanoTime();
                CompletableFuture<Optional<SignedRecord>> first = asker.p2p().discovery().lookup().find(wanted);
                CompletableFuture<Optional<SignedRecord>> joined = asker.p2p().discovery().lookup().find(wanted);
                assertThat(first.get(RecordLookup.TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)).isEmpty();
                assertThat(joined.get(1, TimeUnit.SECONDS)).isEmpty();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(RecordLookup.TIMEOUT.minusMillis(500));
            }
        }
    }

    @Test
    void aPeerAnsweringWithAnotherNodesRecordIsScoredAndNotBelieved() throws Exception {
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode asker = net.addNode();
            SignedRecord someoneElse = SignedRecord.sign(IdentityKey.generate(),
                    List.of(SignedRecord.Address.direct(PeerAddress.local("elsewhere"))), 7);
            try (PeerHost liar = rawPeer(net, asker, request -> Optional.of(someoneElse))) {
                liar.dial(asker.address()).get(20, TimeUnit.SECONDS);
                NodeId wanted = IdentityKey.generate().nodeId();
                assertThat(asker.p2p().discovery().lookup().find(wanted).get(10, TimeUnit.SECONDS)).isEmpty();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(asker.p2p().scores().score(liar.nodeId()))
                                .isBetween(Misbehaviour.MALFORMED.penalty() - 5, Misbehaviour.MALFORMED.penalty()));
                assertThat(asker.p2p().discovery().record(someoneElse.nodeId())).isEmpty();
            }
        }
    }

    /** A bare host on {@code like}'s network answering GetPeerRecord with {@code answer} (or not at all). */
    private static PeerHost rawPeer(TestNetwork net, TestNode like, Function<Envelope, Optional<SignedRecord>> answer) {
        PeerEvents events = new PeerEvents();
        events.register(new PeerListener() {
            @Override
            public void message(Session session, Envelope envelope) {
                answer.apply(envelope).ifPresent(r -> session.respond(envelope, Envelope.newBuilder()
                        .setPeerRecordAnswer(PeerRecordAnswer.newBuilder().setRecord(r.toProto())).build()));
            }
        }, Set.of(Envelope.BodyCase.GET_PEER_RECORD));
        StaticChainInfo info = StaticChainInfo.atGenesis(like.chain().config().network().networkId(), like.chain().genesisId());
        return new PeerHost(NodeKey.generate(), info, net.transport(), TestNetwork.fastP2pConfig().build(), events);
    }
}
