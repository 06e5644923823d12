package org.protoblock.chain.store;

import java.util.Objects;
import org.protoblock.chain.types.BlockId;

/**
 * What the block tree needs of a stored block without loading its body.
 *
 * @param arrivalSeq order in which this node first stored the block: ties in fork choice go to the
 *                   first seen, and that must survive a restart
 */
public record BlockMeta(BlockId id, BlockId parentId, int num, long arrivalSeq, int timestamp) {
    public BlockMeta {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(parentId, "parentId");
    }
}
