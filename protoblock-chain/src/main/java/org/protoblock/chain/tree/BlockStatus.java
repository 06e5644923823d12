package org.protoblock.chain.tree;

/** What {@link BlockTree#add} did with a block. */
public enum BlockStatus {
    /** Stored, and the main chain now ends in it or in a descendant of it. */
    CONNECTED,
    /** Stored on a branch that is not (yet) the main chain. */
    SIDE_BRANCH,
    /** Parent unknown: held in the orphan pool. */
    ORPHAN,
    /** Already known (stored or held as an orphan). */
    DUPLICATE,
    /** Failed validation (see the outcome's rule); not kept. */
    INVALID
}
