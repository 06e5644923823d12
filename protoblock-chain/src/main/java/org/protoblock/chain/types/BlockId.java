package org.protoblock.chain.types;

import java.util.Objects;

/** A block's id: sha256 of its serialized {@code BlockHeader} (the signature is not covered). */
public record BlockId(Hash256 hash) implements Comparable<BlockId> {
    /** The prev_id of block 0. */
    public static final BlockId NONE = new BlockId(Hash256.ZERO);

    public BlockId {
        Objects.requireNonNull(hash, "hash");
    }

    public static BlockId fromHex(CharSequence hex) {
        return new BlockId(Hash256.fromHex(hex));
    }

    public static BlockId wrap(byte[] bytes) {
        return new BlockId(Hash256.wrap(bytes));
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
    public int compareTo(BlockId o) {
        return hash.compareTo(o.hash);
    }

    @Override
    public String toString() {
        return hash.toHex();
    }
}
