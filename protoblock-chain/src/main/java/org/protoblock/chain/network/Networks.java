package org.protoblock.chain.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.crypto.PublicKey;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.chain.types.ValidationException;

/**
 * The known networks. Mainnet is the production chain (the genesis in
 * {@code networks/mainnet-genesis.block}); any other genesis is read as a devnet genesis
 * ({@link DevnetGenesis}). A network is recognized by its genesis id alone.
 */
public final class Networks {
    public static final String MAINNET = "mainnet";
    public static final BlockId MAINNET_GENESIS_ID =
            BlockId.fromHex("73707225ae20f8619de77f5e14ac0c254b0692530a182efb1b1ba6914ac5fc42");
    /** The production block producer and oracle. */
    public static final PublicKey MAINNET_ORACLE_KEY = PublicKey.fromBase58("25dTUQHwaPHdN2fXjpryz5jrrXxU6NNfKgrpJRA4VheJ4");

    private static final String MAINNET_RESOURCE = "/networks/mainnet-genesis.block";

    private Networks() {
    }

    /** Mainnet with {@link ChainLimits#DEFAULT}. */
    public static NetworkParams mainnet() {
        return MainnetHolder.PARAMS;
    }

    /** The params of the network this genesis starts: mainnet by id, otherwise a devnet. */
    public static NetworkParams fromGenesis(ChainBlock genesis, ChainLimits limits) throws ValidationException {
        if (genesis.id().equals(MAINNET_GENESIS_ID)) {
            return mainnet().withLimits(limits);
        }
        return DevnetGenesis.params(genesis, limits);
    }

    private static final class MainnetHolder { // lazy: the resource is read on first use
        static final NetworkParams PARAMS = load();

        private static NetworkParams load() {
            try (InputStream in = Networks.class.getResourceAsStream(MAINNET_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + MAINNET_RESOURCE);
                }
                ChainBlock genesis = new ChainCodec(ChainLimits.DEFAULT).parseBlock(in.readAllBytes());
                if (!genesis.id().equals(MAINNET_GENESIS_ID)) {
                    throw new IllegalStateException("mainnet genesis resource has id " + genesis.id());
                }
                return new NetworkParams(MAINNET, MAINNET, genesis, List.of(MAINNET_ORACLE_KEY), MAINNET_ORACLE_KEY,
                        ChainLimits.DEFAULT);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (ValidationException e) {
                throw new IllegalStateException("mainnet genesis resource does not parse: " + e.getMessage());
            }
        }
    }
}
