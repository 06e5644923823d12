package org.protoblock.chain.types;

import java.util.Objects;
import org.protoblock.chain.proto.SignedTransaction;

/**
 * A signed transaction with its computed id and serialized size. The id is computed from the
 * re-serialized inner {@code Transaction}, never taken from the {@code id} field the sender wrote
 * (validation checks that the two agree).
 */
public record ChainTransaction(SignedTransaction proto, TxId id, int serializedSize) {
    public ChainTransaction {
        Objects.requireNonNull(proto, "proto");
        Objects.requireNonNull(id, "id");
    }

    public static ChainTransaction of(SignedTransaction proto) {
        TxId id = new TxId(Sha256.hash(proto.getTrans().toByteArray()));
        return new ChainTransaction(proto, id, proto.getSerializedSize());
    }

    public String fantasyName() {
        return proto.getFantasyName();
    }
}
