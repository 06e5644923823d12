package org.protoblock.chain.store;

import java.util.Objects;
import org.protoblock.chain.types.BlockId;

/** Where a main-chain transaction sits, and its block's time (for the replay window). */
public record TxLocation(BlockId blockId, int num, int index, int blockTimestamp) {
    public TxLocation {
        Objects.requireNonNull(blockId, "blockId");
    }
}
