package org.protoblock.chain.types;

import java.util.Objects;

/** A transaction's id: sha256 of its serialized inner {@code Transaction}. */
public record TxId(Hash256 hash) implements Comparable<TxId> {
    public TxId {
        Objects.requireNonNull(hash, "hash");
    }

    public static TxId fromHex(CharSequence hex) {
        return new TxId(Hash256.fromHex(hex));
    }

    public static TxId wrap(byte[] bytes) {
        return new TxId(Hash256.wrap(bytes));
    }

    public String toHex() {
        return hash.toHex();
    }

    public byte[] toBytes() {
        return hash.toBytes();
    }

    public String shortHex() {
        return hash.shortHex();
    }

    @Override
    public int compareTo(TxId o) {
        return hash.compareTo(o.hash);
    }

    @Override
    public String toString() {
        return hash.toHex();
    }
}
