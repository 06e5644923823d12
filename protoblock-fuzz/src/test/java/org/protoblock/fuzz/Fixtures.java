package org.protoblock.fuzz;

import java.util.List;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.network.Networks;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainLimits;

/**
 * Real chain data shared by the targets and the seed writer: mainnet's genesis (shipped with the
 * chain module) and a deterministic one-producer devnet (fixed seed and clock), whose blocks the
 * targets can validate all the way to the producer signature.
 */
public final class Fixtures {
    public static final long DEVNET_SEED = 42;

    private Fixtures() {
    }

    public static ChainCodec codec() {
        return new ChainCodec(ChainLimits.DEFAULT);
    }

    public static ChainBlock mainnetGenesis() {
        return Networks.mainnet().genesis();
    }

    /** The same devnet on every call (params, keys and clock depend on the seed only). */
    public static Devnet devnet() {
        return Devnet.create(1, DEVNET_SEED);
    }

    /** Block 1 and 2 of {@link #devnet()}: name registrations and data transactions. */
    public static List<ChainBlock> devnetChildren(Devnet devnet) {
        ChainBlock b1 = devnet.childOf(devnet.genesis(), devnet.nameTx("alice"), devnet.nameTx("bob"));
        ChainBlock b2 = devnet.childOf(b1, devnet.dataTx("alice"), devnet.dataTx("bob"), devnet.nameTx("carol"));
        return List.of(b1, b2);
    }
}
