package org.protoblock.chain.tree;

import java.util.List;
import java.util.Optional;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.ValidationException;

/**
 * The result of adding a block: its status, and how the main chain moved (possibly through a
 * reorg, possibly because orphans it completed were connected too).
 *
 * @param disconnected blocks rolled back from the main chain, newest first
 * @param connected    blocks applied to the main chain, oldest first
 * @param rejected     blocks found invalid while connecting (this one or others), with the reason
 */
public record AddOutcome(BlockId blockId, BlockStatus status, Optional<ValidationException> error,
                         ChainHead oldHead, ChainHead newHead, List<ChainBlock> disconnected,
                         List<ChainBlock> connected, List<Rejection> rejected) {

    public AddOutcome {
        disconnected = List.copyOf(disconnected);
        connected = List.copyOf(connected);
        rejected = List.copyOf(rejected);
    }

    public boolean headChanged() {
        return !oldHead.equals(newHead);
    }

    public boolean isReorg() {
        return !disconnected.isEmpty();
    }

    /** A block that failed full validation while connecting. */
    public record Rejection(BlockId blockId, ValidationException error) {
    }
}
