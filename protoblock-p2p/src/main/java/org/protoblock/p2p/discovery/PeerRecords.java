package org.protoblock.p2p.discovery;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.PeerRecord;
import org.protoblock.p2p.wire.proto.SignedPeerRecord;

/**
 * Converts {@link PeerRecord}s of GetPeers/Peers and the {@link SignedRecord}s they may carry; what
 * a peer sends is checked, never trusted.
 */
public final class PeerRecords {
    /** Addresses per record we look at; more are ignored. */
    public static final int MAX_ADDRESSES_PER_RECORD = 4;

    /** A record as we accept it: an id and the first address we could dial. */
    public record Learned(NodeId nodeId, PeerAddress address, Instant lastSeen, boolean reachable) {
        public Learned {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(lastSeen, "lastSeen");
        }
    }

    private PeerRecords() {
    }

    public static PeerRecord toProto(NodeId id, List<PeerAddress> addresses, Instant lastSeen, boolean reachable) {
        PeerRecord.Builder b = PeerRecord.newBuilder().setNodeId(ByteString.copyFrom(id.toBytes()))
                .setLastSeenMs(lastSeen.toEpochMilli()).setReachable(reachable);
        addresses.stream().limit(MAX_ADDRESSES_PER_RECORD).forEach(a -> b.addAddresses(a.toString()));
        return b.build();
    }

    /** Reachable: we verified it ourselves within a day. */
    public static PeerRecord toProto(KnownPeer p, Instant now) {
        boolean reachable = p.tried() && p.lastSuccess().map(t -> t.isAfter(now.minusSeconds(86_400))).orElse(false);
        return toProto(p.nodeId(), List.of(p.address()), p.lastSeen(), reachable);
    }

    /** Empty when the id is malformed or no address is acceptable for our transport's {@code scheme}. */
    public static Optional<Learned> fromProto(PeerRecord r, String scheme) {
        return fromProto(r, scheme, a -> true);
    }

    /** As {@link #fromProto(PeerRecord, String)}, taking the first acceptable address that {@code allowed} also passes. */
    public static Optional<Learned> fromProto(PeerRecord r, String scheme, Predicate<PeerAddress> allowed) {
        if (r.getNodeId().size() != NodeId.BYTES) {
            return Optional.empty();
        }
        NodeId id = NodeId.fromBytes(r.getNodeId().toByteArray());
        for (int i = 0; i < r.getAddressesCount() && i < MAX_ADDRESSES_PER_RECORD; i++) {
            Optional<PeerAddress> a = PeerAddress.parse(r.getAddresses(i)).filter(x -> AddressRules.acceptable(x, scheme))
                    .filter(allowed);
            if (a.isPresent()) {
                return Optional.of(new Learned(id, a.get(), Instant.ofEpochMilli(Math.max(0, r.getLastSeenMs())), r.getReachable()));
            }
        }
        return Optional.empty();
    }

    /** {@code record} carrying {@code signed} (a node's own record, passed on unchanged). */
    public static PeerRecord withSigned(PeerRecord record, Optional<SignedRecord> signed) {
        return signed.map(r -> record.toBuilder().setSigned(r.toProto()).build()).orElse(record);
    }

    /**
     * Offers a signed record {@code from} sent to {@code book}. A malformed one, one of another node
     * than {@code expected}, or a forged one (bad signature) is reported to {@code misconduct} as
     * MALFORMED and yields empty; otherwise the book's outcome. On the book's thread.
     */
    public static Optional<RecordBook.Outcome> offerSigned(SignedPeerRecord proto, NodeId expected, Session from,
                                                           RecordBook book, Misconduct misconduct) {
        SignedRecord record;
        try {
            record = SignedRecord.fromProto(proto);
        } catch (SignedRecord.MalformedRecordException e) {
            misconduct.report(from, Misconduct.Kind.MALFORMED, e.getMessage());
            return Optional.empty();
        }
        if (!record.nodeId().equals(expected)) {
            misconduct.report(from, Misconduct.Kind.MALFORMED, "signed record of " + record.nodeId().shortForm()
                    + " sent as " + expected.shortForm() + "'s");
            return Optional.empty();
        }
        RecordBook.Outcome outcome = book.offer(record);
        if (outcome == RecordBook.Outcome.FORGED) {
            misconduct.report(from, Misconduct.Kind.MALFORMED, "forged peer record of " + record.nodeId().shortForm()
                    + " (signature does not verify)");
            return Optional.empty();
        }
        return Optional.of(outcome);
    }
}
