package org.protoblock.chain.service;

import org.protoblock.chain.types.BlockId;

/**
 * The tip of a branch the node keeps (Bitcoin Core's getchaintips).
 *
 * @param branchLength blocks from the tip back to the main chain (0 for the active tip)
 * @param active       whether this tip is the main chain's head
 */
public record ChainTip(BlockId id, int num, int branchLength, boolean active) {
}
