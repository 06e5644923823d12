package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.p2p.identity.IdentityKey;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.peer.Misbehaviour;
import org.protoblock.p2p.session.PeerErrorException;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;
import org.protoblock.p2p.wire.proto.GetPeerRecord;
import org.protoblock.p2p.wire.proto.PeerRecord;
import org.protoblock.p2p.wire.proto.Peers;

/**
 * Signed peer records through real nodes on TCP loopback: a node's record reaches its peers' peers
 * (relayed) and anyone who looks it up; a forged record is refused and its sender scored; a rolled
 * back one is ignored.
 */
class SignedRecordsNetworkTest {
    @TempDir
    Path dir;

    @Test
    void aRecordTravelsThroughAPeerAndForgeriesAreRefused() throws Exception {
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir)) {
            TestNode b = net.addNode();
            TestNode c = net.addNode();
            net.connect(c, b);
            TestNode a = net.addNode();
            net.connect(a, b); // A advertises its signed record to B, which relays it to C
            NodeId aId = a.p2p().host().nodeId();
            SignedRecord aRecord = a.p2p().discovery().record(aId).orElseThrow();
            assertThat(aRecord.directAddresses()).contains(a.address());

            // C learns A's record through B without ever linking to A.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(c.p2p().discovery().record(aId)).contains(aRecord));
            assertThat(c.p2p().host().session(aId)).isEmpty();

            // D joins after the relay: it finds A's record by asking its peer B.
            TestNode d = net.addNode();
            net.connect(d, b);
            assertThat(d.p2p().discovery().record(aId)).isEmpty();
            Optional<SignedRecord> found = d.p2p().discovery().lookup().find(aId).get(10, TimeUnit.SECONDS);
            assertThat(found).contains(aRecord);
            assertThat(d.p2p().discovery().record(aId)).contains(aRecord);
            assertThat(d.p2p().discovery().lookup().find(NodeId.fromBytes(IdentityKey.generate().publicKey()))
                    .get(10, TimeUnit.SECONDS)).as("nobody knows this node").isEmpty();

            // A raw peer sends D a rolled-back record of A (really A's signature, older): ignored, no blame.
            TestNode raw = net.addNode();
            Session link = raw.p2p().dial(d.address()).get(20, TimeUnit.SECONDS);
            NodeId rawId = raw.p2p().host().nodeId();
            SignedRecord older = SignedRecord.sign(a.p2p().host().identityKey(),
                    List.of(SignedRecord.Address.direct(PeerAddress.tcp("127.0.0.1", 1))), aRecord.sequence() - 1);
            link.send(peers(older, older.nodeId()));

            // Then a forged record: a stranger's id, signed by someone else.
            IdentityKey stranger = IdentityKey.generate();
            SignedRecord mallory = SignedRecord.sign(IdentityKey.generate(),
                    List.of(SignedRecord.Address.direct(PeerAddress.tcp("127.0.0.1", 2))), System.currentTimeMillis());
            SignedRecord forged = new SignedRecord(stranger.nodeId(), mallory.addresses(), mallory.sequence(), mallory.signature());
            link.send(peers(forged, stranger.nodeId()));

            await().atMost(Duration.ofSeconds(10)).until(() -> d.p2p().scores().score(rawId) > 0);
            assertThat(d.p2p().scores().score(rawId)).as("the forgery scored (decaying since), the rollback did not")
                    .isBetween(Misbehaviour.MALFORMED.penalty() - 5, Misbehaviour.MALFORMED.penalty());
            assertThat(d.p2p().discovery().record(stranger.nodeId())).isEmpty();
            assertThat(d.p2p().discovery().record(aId)).contains(aRecord);
            assertThat(d.p2p().discovery().knownPeers()).noneMatch(p -> p.nodeId().equals(stranger.nodeId()));
            assertThat(d.p2p().discovery().sanityCheck()).isEmpty();
        }
    }

    @Test
    void lookupsAreServedWithinLimitsAndMalformedOnesScore() throws Exception {
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir)) {
            TestNode server = net.addNode();
            TestNode raw = net.addNode();
            Session link = raw.p2p().dial(server.address()).get(20, TimeUnit.SECONDS);
            NodeId serverId = server.p2p().host().nodeId();

            // Its own record, signed by itself.
            Envelope own = link.request(getPeerRecord(ByteString.copyFrom(serverId.toBytes()))).get(10, TimeUnit.SECONDS);
            SignedRecord record = SignedRecord.fromProto(own.getPeerRecordAnswer().getRecord());
            assertThat(record.nodeId()).isEqualTo(serverId);
            assertThat(record.verifies()).isTrue();
            // Nobody's: an answer without a record.
            Envelope none = link.request(getPeerRecord(ByteString.copyFrom(IdentityKey.generate().publicKey())))
                    .get(10, TimeUnit.SECONDS);
            assertThat(none.getPeerRecordAnswer().hasRecord()).isFalse();

            // Beyond the burst: BUSY.
            int busy = 0;
            for (int i = 0; i < RecordLookup.SERVE_BURST + 4; i++) {
                try {
                    link.request(getPeerRecord(ByteString.copyFrom(serverId.toBytes()))).get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOfSatisfying(PeerErrorException.class,
                            p -> assertThat(p.code()).isEqualTo(ErrorResponse.Code.BUSY));
                    busy++;
                }
            }
            assertThat(busy).isPositive();

            // A malformed node id: BAD_REQUEST (or BUSY while the bucket refills) and, once past the bucket, a score.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                ExecutionException e = catchThrowableOfType(ExecutionException.class,
                        () -> link.request(getPeerRecord(ByteString.copyFrom(new byte[5]))).get(10, TimeUnit.SECONDS));
                assertThat(((PeerErrorException) e.getCause()).code()).isEqualTo(ErrorResponse.Code.BAD_REQUEST);
            });
            assertThat(server.p2p().scores().score(raw.p2p().host().nodeId())).isPositive();
        }
    }

    private static Envelope getPeerRecord(ByteString id) {
        return Envelope.newBuilder().setGetPeerRecord(GetPeerRecord.newBuilder().setNodeId(id)).build();
    }

    private static Envelope peers(SignedRecord signed, NodeId id) {
        PeerRecord entry = PeerRecord.newBuilder().setNodeId(ByteString.copyFrom(id.toBytes()))
                .addAddresses(signed.addresses().get(0).address().toString())
                .setLastSeenMs(System.currentTimeMillis()).setReachable(true).setSigned(signed.toProto()).build();
        return Envelope.newBuilder().setPeers(Peers.newBuilder().addPeers(entry)).build();
    }
}
