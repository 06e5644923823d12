package org.protoblock.chain.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.chain.types.ValidationException;

/**
 * A network's genesis on disk: the serialized {@code Block}, byte for byte (file name
 * {@value #FILE_NAME} in a node's data directory). Reading it yields the full {@link NetworkParams}:
 * everything a network needs is in its genesis.
 */
public final class GenesisFile {
    public static final String FILE_NAME = "genesis.block";

    private GenesisFile() {
    }

    /** Writes atomically (temporary file, then move). */
    public static void write(Path file, ChainBlock genesis) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".genesis", ".tmp");
        try {
            Files.write(tmp, genesis.proto().toByteArray());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static ChainBlock readBlock(Path file, ChainLimits limits) throws IOException, ValidationException {
        if (Files.size(file) > limits.maxBlockBytes()) {
            throw new IOException("genesis file larger than " + limits.maxBlockBytes() + " bytes: " + file);
        }
        return new ChainCodec(limits).parseBlock(Files.readAllBytes(file));
    }

    /** Reads a genesis file and rebuilds its network's params (mainnet recognized by genesis id). */
    public static NetworkParams read(Path file, ChainLimits limits) throws IOException, ValidationException {
        return Networks.fromGenesis(readBlock(file, limits), limits);
    }
}
