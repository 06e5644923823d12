package org.protoblock.chain.store;

import java.util.Objects;
import org.protoblock.chain.proto.SignedTransaction;

/** A persisted mempool transaction with its arrival sequence (the mempool's order). */
public record MempoolEntry(long arrivalSeq, SignedTransaction transaction) {
    public MempoolEntry {
        Objects.requireNonNull(transaction, "transaction");
    }
}
