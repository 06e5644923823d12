package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.identity.IdentityKey;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.RecordAddress;
import org.protoblock.p2p.wire.proto.SignedPeerRecord;

class SignedRecordTest {
    private static final IdentityKey KEY = IdentityKey.fromSeed(filled(1));
    private static final NodeId RELAY = NodeId.fromBytes(filled(2));
    private static final List<SignedRecord.Address> ADDRESSES = List.of(
            SignedRecord.Address.direct(PeerAddress.tcp("203.0.113.5", 8125)),
            SignedRecord.Address.relayed(RELAY, PeerAddress.tcp("2001:db8::7", 8125)));

    private static byte[] filled(int b) {
        byte[] out = new byte[32];
        Arrays.fill(out, (byte) b);
        return out;
    }

    @Test
    void aSignedRecordSurvivesTheWireAndVerifies() throws Exception {
        SignedRecord record = SignedRecord.sign(KEY, ADDRESSES, 1_764_000_000_000L);
        SignedRecord back = SignedRecord.fromProto(SignedPeerRecord.parseFrom(record.toProto().toByteArray()));
        assertThat(back).isEqualTo(record);
        assertThat(back.verifies()).isTrue();
        assertThat(back.directAddresses()).containsExactly(PeerAddress.tcp("203.0.113.5", 8125));
        assertThat(back.addresses().get(1).relay()).contains(RELAY);
    }

    @Test
    void theCanonicalEncodingIsFixedByteForByte() {
        String hex = HexFormat.of().formatHex(SignedRecord.signedBytes(KEY.nodeId(), ADDRESSES, 0x0102030405060708L));
        String addr1 = HexFormat.of().formatHex("tcp://203.0.113.5:8125".getBytes());
        String addr2 = HexFormat.of().formatHex("tcp://[2001:db8::7]:8125".getBytes());
        assertThat(hex).isEqualTo(HexFormat.of().formatHex("protoblock-peer-record:".getBytes())
                + KEY.nodeId().hex() + "0102030405060708" + "02"
                + "00" + "0016" + addr1
                + "01" + RELAY.hex() + "0018" + addr2);
    }

    @Test
    void anyChangeBreaksTheSignature() {
        SignedRecord record = SignedRecord.sign(KEY, ADDRESSES, 5);
        assertThat(new SignedRecord(record.nodeId(), ADDRESSES, 6, record.signature()).verifies()).as("sequence").isFalse();
        assertThat(new SignedRecord(record.nodeId(), ADDRESSES.subList(0, 1), 5, record.signature()).verifies())
                .as("addresses").isFalse();
        assertThat(new SignedRecord(record.nodeId(), List.of(SignedRecord.Address.direct(PeerAddress.tcp("2001:db8::7", 8125)),
                ADDRESSES.get(0)), 5, record.signature()).verifies()).as("a relay address made direct").isFalse();
        IdentityKey other = IdentityKey.generate();
        assertThat(new SignedRecord(other.nodeId(), ADDRESSES, 5, record.signature()).verifies()).as("node").isFalse();
        SignedRecord forged = SignedRecord.sign(other, ADDRESSES, 5);
        assertThat(new SignedRecord(KEY.nodeId(), ADDRESSES, 5, forged.signature()).verifies()).as("other signer").isFalse();
    }

    @Test
    void malformedRecordsAreRejectedNamingTheRule() {
        SignedPeerRecord good = SignedRecord.sign(KEY, ADDRESSES, 5).toProto();
        assertMalformed(good.toBuilder().setNodeId(ByteString.copyFrom(new byte[31])).build(), "node id of 31 bytes");
        assertMalformed(good.toBuilder().setSignature(ByteString.copyFrom(new byte[63])).build(), "signature of 63 bytes");
        assertMalformed(good.toBuilder().setSequence(-1).build(), "sequence");
        SignedPeerRecord.Builder many = good.toBuilder();
        for (int i = 0; i < SignedRecord.MAX_ADDRESSES; i++) {
            many.addAddresses(RecordAddress.newBuilder().setAddress("tcp://10.0.0." + i + ":1"));
        }
        assertMalformed(many.build(), "10 addresses (max 8)");
        assertMalformed(good.toBuilder().setAddresses(0, RecordAddress.newBuilder().setAddress("TCP://203.0.113.5:8125")).build(),
                "not in canonical form");
        assertMalformed(good.toBuilder().setAddresses(0, RecordAddress.newBuilder().setAddress("nonsense")).build(),
                "not in canonical form");
        assertMalformed(good.toBuilder().setAddresses(1, good.getAddresses(1).toBuilder()
                .setRelayNodeId(ByteString.copyFrom(new byte[5]))).build(), "relay id of 5 bytes");
    }

    private static void assertMalformed(SignedPeerRecord proto, String rule) {
        assertThatThrownBy(() -> SignedRecord.fromProto(proto)).isInstanceOf(SignedRecord.MalformedRecordException.class)
                .hasMessageContaining(rule);
    }
}
