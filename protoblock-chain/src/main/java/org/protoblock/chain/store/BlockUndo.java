package org.protoblock.chain.store;

import java.util.List;

/**
 * What rolling a main-chain block back must undo beyond what the block itself says: the names
 * it registered (the tx index entries to delete are the block's own transaction ids).
 */
public record BlockUndo(List<NameEntry> namesAdded) {
    public BlockUndo {
        namesAdded = List.copyOf(namesAdded);
    }
}
