package org.protoblock.p2p.gossip;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.TxId;

/** 32-byte ids on the wire. Parsing is all or nothing: one malformed id rejects the list. */
final class WireIds {
    private WireIds() {
    }

    static Optional<List<TxId>> txIds(List<ByteString> raw) {
        List<TxId> ids = new ArrayList<>(raw.size());
        for (ByteString b : raw) {
            if (b.size() != Hash256.BYTES) {
                return Optional.empty();
            }
            ids.add(TxId.wrap(b.toByteArray()));
        }
        return Optional.of(ids);
    }

    static List<ByteString> toWire(List<TxId> ids) {
        List<ByteString> out = new ArrayList<>(ids.size());
        ids.forEach(id -> out.add(ByteString.copyFrom(id.toBytes())));
        return out;
    }
}
