package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.protoblock.chain.network.Networks;
import org.protoblock.fuzz.AllocationBudget;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.PeerRecord;
import org.protoblock.p2p.wire.proto.Peers;
import org.protoblock.p2p.wire.proto.SignedPeerRecord;

/**
 * Addresses others tell us: a {@code Peers} answer ({@link PeerRecords#fromProto} with the
 * source rule peer exchange applies) and a LAN beacon datagram ({@link LanBeacons#decode}). The
 * source of each (a public, LAN or loopback host) is picked from the end of the input; and a signed
 * peer record ({@link SignedRecord#fromProto}, {@link RecordBook#offer}).
 *
 * <p>Properties: parsing never throws (a protobuf error only as
 * {@link InvalidProtocolBufferException}); what is accepted is an IP literal of our scheme (ASCII
 * digits, hex and separators only: never a name to look up); a public source never makes us keep a
 * loopback or private address; a beacon counts only from a LAN-scoped source and is never our own;
 * accepted records survive toProto → fromProto; allocation stays linear.
 */
class AddressMessagesFuzzTest {
    static final List<String> SOURCES = List.of("203.0.113.9", "192.168.1.7", "127.0.0.1", "2001:db8::9", "fe80::7");
    static final NodeId SELF = NodeId.fromBytes(new byte[NodeId.BYTES]);
    static final LanBeacons BEACONS = new LanBeacons(Networks.MAINNET, Networks.MAINNET_GENESIS_ID.toHex(), SELF);
    static final InetAddress OWN = literal("192.168.1.5");

    @FuzzTest(maxDuration = "10s")
    void peers(FuzzedDataProvider data) throws Exception {
        PeerAddress source = PeerAddress.tcp(SOURCES.get(data.consumeInt(0, SOURCES.size() - 1)), 8125);
        byte[] message = data.consumeRemainingAsBytes();
        AllocationBudget.check(message.length, 64, () -> {
            Peers peers;
            try {
                peers = Peers.parseFrom(message);
            } catch (InvalidProtocolBufferException e) {
                return;
            }
            for (PeerRecord r : peers.getPeersList()) {
                Optional<PeerRecords.Learned> learned = PeerRecords.fromProto(r, PeerAddress.TCP,
                        a -> AddressRules.acceptableFrom(a, source));
                if (learned.isEmpty()) {
                    continue;
                }
                PeerAddress a = learned.get().address();
                assertLiteral(a);
                if (!IpLiterals.isLocal(source.host())) {
                    assertThat(IpLiterals.isLocal(a.host())).as("local address %s from public %s", a, source).isFalse();
                }
                PeerRecord again = PeerRecords.toProto(learned.get().nodeId(), List.of(a), learned.get().lastSeen(),
                        learned.get().reachable());
                assertThat(PeerRecords.fromProto(again, PeerAddress.TCP)).isEqualTo(learned);
            }
        });
    }

    /**
     * A signed peer record as a peer sends it: decoding either names a broken rule or yields a
     * record that survives toProto → fromProto; verification and the record book never throw, and
     * the book stays consistent.
     */
    @FuzzTest(maxDuration = "10s")
    void signedRecord(FuzzedDataProvider data) throws Exception {
        byte[] message = data.consumeRemainingAsBytes();
        AllocationBudget.check(message.length, 64, () -> {
            SignedRecord record;
            try {
                record = SignedRecord.fromProto(SignedPeerRecord.parseFrom(message));
            } catch (InvalidProtocolBufferException | SignedRecord.MalformedRecordException e) {
                return;
            }
            assertThat(record.addresses()).hasSizeLessThanOrEqualTo(SignedRecord.MAX_ADDRESSES);
            try {
                assertThat(SignedRecord.fromProto(record.toProto())).isEqualTo(record);
            } catch (SignedRecord.MalformedRecordException e) {
                throw new AssertionError("a decoded record does not decode again", e);
            }
            RecordBook book = new RecordBook(2);
            RecordBook.Outcome outcome = book.offer(record);
            assertThat(outcome == RecordBook.Outcome.ACCEPTED).isEqualTo(record.verifies());
            assertThat(book.sanityCheck()).isEmpty();
        });
    }

    @FuzzTest(maxDuration = "10s")
    void lanBeacon(FuzzedDataProvider data) throws Exception {
        InetAddress source = literal(SOURCES.get(data.consumeInt(0, SOURCES.size() - 1)));
        byte[] packet = data.consumeRemainingAsBytes();
        AllocationBudget.check(packet.length, 64, () -> {
            Optional<LanBeacons.Found> found = BEACONS.decode(packet, packet.length, source, PeerAddress.TCP, OWN::equals);
            if (found.isEmpty()) {
                return;
            }
            assertThat(found.get().nodeId()).isNotEqualTo(SELF);
            assertThat(source.isLoopbackAddress() || IpLiterals.isLocal(source.getHostAddress())).isTrue();
            PeerAddress a = found.get().address();
            assertLiteral(a);
            assertThat(AddressRules.acceptable(a, PeerAddress.TCP)).isTrue();
        });
    }

    static void assertLiteral(PeerAddress a) {
        assertThat(a.scheme()).isEqualTo(PeerAddress.TCP);
        assertThat(a.host().chars().allMatch(c -> c < 128 && (Character.digit(c, 16) >= 0 || c == '.' || c == ':')))
                .as("host %s is an ASCII IP literal", a.host()).isTrue();
        assertThat(AddressRules.acceptable(a, PeerAddress.TCP)).isTrue();
    }

    static InetAddress literal(String ip) {
        return IpLiterals.toInetAddress(ip).orElseThrow();
    }
}
