package org.protoblock.p2p.chain;

import java.util.HexFormat;
import java.util.Objects;

/** A chain tip as peers see it: height and block id (lowercase hex). */
public record ChainHead(long num, String blockId) {
    public ChainHead {
        Objects.requireNonNull(blockId, "blockId");
        if (num < 0) {
            throw new IllegalArgumentException("head num must be >= 0: " + num);
        }
        HexFormat.of().parseHex(blockId); // validates
        blockId = blockId.toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return "#" + num + " " + (blockId.length() > 8 ? blockId.substring(0, 8) : blockId);
    }
}
