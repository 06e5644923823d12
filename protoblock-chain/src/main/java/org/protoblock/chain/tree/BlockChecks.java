package org.protoblock.chain.tree;

import java.util.Optional;
import org.protoblock.chain.store.BlockMeta;
import org.protoblock.chain.store.NameEntry;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.chain.validation.ChainState;

/** The validation the block tree runs, in its two stages. */
public interface BlockChecks {

    /**
     * Everything about a block that does not depend on chain state: header form, linkage to its
     * parent, producer signature, transaction root, time and size limits. Run before storing.
     */
    void checkBlock(ChainBlock block, BlockMeta parent) throws ValidationException;

    /** Checks that block 0 is this network's genesis. */
    void checkGenesis(ChainBlock block) throws ValidationException;

    /**
     * One transaction of a block being connected, against the state after the block's earlier
     * transactions. Returns the name the transaction registers, if it is a NAME registration.
     */
    Optional<NameEntry> checkTransaction(ChainBlock block, int index, ChainState state) throws ValidationException;
}
