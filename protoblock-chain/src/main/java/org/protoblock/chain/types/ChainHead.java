package org.protoblock.chain.types;

import java.util.Objects;

/** The tip of a chain: its block id and height (block num). */
public record ChainHead(BlockId id, int num) {
    public ChainHead {
        Objects.requireNonNull(id, "id");
        if (num < 0) {
            throw new IllegalArgumentException("num < 0: " + num);
        }
    }

    @Override
    public String toString() {
        return num + "/" + id.shortHex();
    }
}
