package org.protoblock.node.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.protoblock.chain.network.GenesisFile;
import org.protoblock.chain.network.NetworkParams;
import org.protoblock.chain.network.Networks;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.chain.types.ValidationException;

/**
 * Which network a node runs: the {@code --genesis} file when given (a private network's genesis is
 * then kept in the data dir, so later starts need no flag), else the data dir's copy, else mainnet.
 * A data dir never switches networks: a different genesis is refused.
 */
public final class NetworkResolver {
    private NetworkResolver() {
    }

    public static NetworkParams fromFlag(Optional<Path> genesis) throws IOException, ValidationException {
        return genesis.isPresent() ? GenesisFile.read(genesis.get(), ChainLimits.DEFAULT) : Networks.mainnet();
    }

    /** Resolves against the data dir and records a private genesis there. */
    public static NetworkParams resolve(Optional<Path> genesis, Path dataDir) throws IOException, ValidationException {
        Path kept = dataDir.resolve(GenesisFile.FILE_NAME);
        Optional<NetworkParams> stored = Files.exists(kept)
                ? Optional.of(GenesisFile.read(kept, ChainLimits.DEFAULT)) : Optional.empty();
        if (genesis.isEmpty()) {
            return stored.orElseGet(Networks::mainnet);
        }
        NetworkParams given = GenesisFile.read(genesis.get(), ChainLimits.DEFAULT);
        if (stored.isPresent() && !stored.get().genesisId().equals(given.genesisId())) {
            throw new IOException("data dir " + dataDir + " belongs to network " + stored.get().networkId()
                    + ", not to " + given.networkId() + " of " + genesis.get());
        }
        if (stored.isEmpty() && !given.isMainnet()) {
            GenesisFile.write(kept, given.genesis());
        }
        return given;
    }
}
