package org.protoblock.p2p.peerstore;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Instant;
import java.util.Optional;
import org.protoblock.p2p.discovery.AddressGroup;
import org.protoblock.p2p.discovery.KnownPeer;
import org.protoblock.p2p.discovery.proto.StoredAddress;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.transport.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link KnownPeer} as a {@link StoredAddress} record; what does not decode is skipped with a log line. */
public final class StoredAddresses {
    private static final Logger log = LoggerFactory.getLogger(StoredAddresses.class);

    private StoredAddresses() {
    }

    public static StoredAddress encode(KnownPeer p) {
        return StoredAddress.newBuilder()
                .setNodeId(ByteString.copyFrom(p.nodeId().toBytes()))
                .setAddress(p.address().toString())
                .setSourceGroup(p.sourceGroup().key())
                .setLastSeenMs(p.lastSeen().toEpochMilli())
                .setLastTryMs(p.lastTry().map(Instant::toEpochMilli).orElse(0L))
                .setLastSuccessMs(p.lastSuccess().map(Instant::toEpochMilli).orElse(0L))
                .setAttempts(p.attempts())
                .setTried(p.tried())
                .build();
    }

    public static Optional<KnownPeer> decode(byte[] value) {
        try {
            return decode(StoredAddress.parseFrom(value));
        } catch (InvalidProtocolBufferException e) {
            log.warn("Skipping unreadable address book entry: {}", e.getMessage());
            return Optional.empty();
        }
    }

    public static Optional<KnownPeer> decode(StoredAddress a) {
        try {
            Optional<PeerAddress> address = PeerAddress.parse(a.getAddress());
            if (address.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new KnownPeer(NodeId.fromBytes(a.getNodeId().toByteArray()), address.get(),
                    new AddressGroup(a.getSourceGroup()), Instant.ofEpochMilli(a.getLastSeenMs()),
                    a.getLastTryMs() == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(a.getLastTryMs())),
                    a.getLastSuccessMs() == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(a.getLastSuccessMs())),
                    a.getAttempts(), a.getTried()));
        } catch (IllegalArgumentException e) {
            log.warn("Skipping unreadable address book entry: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
