package org.protoblock.p2p.discovery;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.protoblock.p2p.identity.IdentityKey;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.RecordAddress;
import org.protoblock.p2p.wire.proto.SignedPeerRecord;

/**
 * A node's record of itself: its node id, where it can be reached (directly, or through a relay
 * named by the relay's node id and address), a sequence number (Unix ms when signed, strictly
 * increasing per node) and the signature of its identity key. Whoever relays it cannot change or
 * forge it; the newest sequence number wins, so it cannot be rolled back either ({@link RecordBook}).
 *
 * <p>The signature covers a canonical encoding ({@link #signedBytes}), not the protobuf bytes:
 * {@link #DOMAIN}, node id (32), sequence (8, big-endian), address count (1), then per address a kind
 * byte (0 direct, 1 relayed), the relay's node id (32, relayed only), the UTF-8 length (2,
 * big-endian) and bytes of the address text. Rationale: protobuf encodings of one message may differ
 * between implementations; the domain prefix keeps the signature from being valid for anything
 * else the identity key signs (the handshake's {@link org.protoblock.p2p.identity.StaticKeyProof}).
 *
 * <p>Bounds: at most {@link #MAX_ADDRESSES} addresses of at most {@link PeerAddress#MAX_TEXT_LENGTH}
 * characters, each in the canonical text form {@link PeerAddress#toString()} gives, so a record is at
 * most about 2.8 KB. Immutable.
 */
public record SignedRecord(NodeId nodeId, List<Address> addresses, long sequence, byte[] signature) {
    public static final byte[] DOMAIN = "protoblock-peer-record:".getBytes(StandardCharsets.US_ASCII);
    /** Room for two direct addresses (IPv4, IPv6) and a few relays. */
    public static final int MAX_ADDRESSES = 8;

    /** Where the node can be reached: {@code address} itself, or through the relay {@code relay} at {@code address}. */
    public record Address(PeerAddress address, Optional<NodeId> relay) {
        public Address {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(relay, "relay");
        }

        public static Address direct(PeerAddress address) {
            return new Address(address, Optional.empty());
        }

        public static Address relayed(NodeId relay, PeerAddress relayAddress) {
            return new Address(relayAddress, Optional.of(relay));
        }

        public boolean isDirect() {
            return relay.isEmpty();
        }
    }

    /** What a peer sent that is not a well-formed record; the message names the rule. */
    public static final class MalformedRecordException extends Exception {
        public MalformedRecordException(String message) {
            super(message, null, false, false);
        }
    }

    public SignedRecord {
        Objects.requireNonNull(nodeId, "nodeId");
        addresses = List.copyOf(addresses);
        if (addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException(addresses.size() + " addresses in a record (max " + MAX_ADDRESSES + ")");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("negative sequence " + sequence);
        }
        signature = signature.clone();
    }

    public static SignedRecord sign(IdentityKey key, List<Address> addresses, long sequence) {
        byte[] signature = key.sign(signedBytes(key.nodeId(), addresses, sequence));
        return new SignedRecord(key.nodeId(), addresses, sequence, signature);
    }

    /** True when {@link #nodeId}'s identity key signed exactly this content. */
    public boolean verifies() {
        return IdentityKey.verify(nodeId, signedBytes(nodeId, addresses, sequence), signature);
    }

    /** True when both hold the same content (the signature aside). */
    public boolean sameContent(SignedRecord other) {
        return nodeId.equals(other.nodeId) && sequence == other.sequence && addresses.equals(other.addresses);
    }

    public List<PeerAddress> directAddresses() {
        return addresses.stream().filter(Address::isDirect).map(Address::address).toList();
    }

    static byte[] signedBytes(NodeId nodeId, List<Address> addresses, long sequence) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.writeBytes(DOMAIN);
        out.writeBytes(nodeId.toBytes());
        out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(sequence).array());
        out.write(addresses.size());
        for (Address a : addresses) {
            out.write(a.isDirect() ? 0 : 1);
            a.relay().ifPresent(r -> out.writeBytes(r.toBytes()));
            byte[] text = a.address().toString().getBytes(StandardCharsets.UTF_8);
            out.write(text.length >>> 8);
            out.write(text.length & 0xff);
            out.writeBytes(text);
        }
        return out.toByteArray();
    }

    public SignedPeerRecord toProto() {
        SignedPeerRecord.Builder b = SignedPeerRecord.newBuilder().setNodeId(ByteString.copyFrom(nodeId.toBytes()))
                .setSequence(sequence).setSignature(ByteString.copyFrom(signature));
        for (Address a : addresses) {
            RecordAddress.Builder ab = RecordAddress.newBuilder().setAddress(a.address().toString());
            a.relay().ifPresent(r -> ab.setRelayNodeId(ByteString.copyFrom(r.toBytes())));
            b.addAddresses(ab);
        }
        return b.build();
    }

    /**
     * Reads a record a peer sent. Checks its form only; whether the signature holds is
     * {@link #verifies()}'s question.
     *
     * @throws MalformedRecordException naming the broken rule
     */
    public static SignedRecord fromProto(SignedPeerRecord r) throws MalformedRecordException {
        if (r.getNodeId().size() != NodeId.BYTES) {
            throw new MalformedRecordException("peer record node id of " + r.getNodeId().size() + " bytes");
        }
        if (r.getAddressesCount() > MAX_ADDRESSES) {
            throw new MalformedRecordException("peer record with " + r.getAddressesCount() + " addresses (max " + MAX_ADDRESSES + ")");
        }
        if (r.getSequence() < 0) {
            throw new MalformedRecordException("peer record sequence beyond 2^63");
        }
        if (r.getSignature().size() != IdentityKey.SIGNATURE_BYTES) {
            throw new MalformedRecordException("peer record signature of " + r.getSignature().size() + " bytes");
        }
        List<Address> addresses = new ArrayList<>(r.getAddressesCount());
        for (RecordAddress a : r.getAddressesList()) {
            String text = a.getAddress();
            PeerAddress parsed = PeerAddress.parse(text).filter(p -> p.toString().equals(text))
                    .orElseThrow(() -> new MalformedRecordException("peer record address not in canonical form: "
                            + text.substring(0, Math.min(text.length(), 80))));
            if (a.getRelayNodeId().isEmpty()) {
                addresses.add(Address.direct(parsed));
            } else if (a.getRelayNodeId().size() == NodeId.BYTES) {
                addresses.add(Address.relayed(NodeId.fromBytes(a.getRelayNodeId().toByteArray()), parsed));
            } else {
                throw new MalformedRecordException("peer record relay id of " + a.getRelayNodeId().size() + " bytes");
            }
        }
        return new SignedRecord(NodeId.fromBytes(r.getNodeId().toByteArray()), addresses, r.getSequence(),
                r.getSignature().toByteArray());
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedRecord r && sameContent(r) && Arrays.equals(signature, r.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodeId, addresses, sequence, Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "SignedRecord[" + nodeId.shortForm() + " #" + sequence + " " + addresses.size() + " addresses]";
    }
}
