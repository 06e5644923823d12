package org.protoblock.node.devnet;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.network.DevnetGenesis;
import org.protoblock.chain.network.GenesisFile;
import org.protoblock.chain.network.NetworkParams;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.chain.types.ValidationException;

/**
 * A private network on disk: {@code genesis.block} and {@code producer-1.key} … {@code producer-N.key}
 * (what {@code protoblock genesis new} writes and {@code protoblock devnet} reuses).
 */
public final class DevnetFiles {
    public static final int MAX_PRODUCERS = DevnetGenesis.MAX_PRODUCERS;

    /** A network and its producer keys, producer 1 first. */
    public record Devnet(NetworkParams network, List<KeyPair> producers) {
        public Devnet {
            producers = List.copyOf(producers);
        }
    }

    private DevnetFiles() {
    }

    public static Path genesisFile(Path dir) {
        return dir.resolve(GenesisFile.FILE_NAME);
    }

    public static Path producerKeyFile(Path dir, int oneBased) {
        return dir.resolve("producer-" + oneBased + ".key");
    }

    public static boolean exists(Path dir) {
        return Files.exists(genesisFile(dir));
    }

    /** Writes a new network into {@code dir}; refuses to overwrite an existing genesis or key. */
    public static Devnet create(Path dir, String name, int producerCount, Clock clock) throws IOException {
        if (producerCount < 1 || producerCount > MAX_PRODUCERS) {
            throw new IllegalArgumentException("producers must be 1.." + MAX_PRODUCERS);
        }
        if (Files.exists(genesisFile(dir))) {
            throw new FileAlreadyExistsException(genesisFile(dir).toString());
        }
        for (int i = 1; i <= producerCount; i++) {
            if (Files.exists(producerKeyFile(dir, i))) {
                throw new FileAlreadyExistsException(producerKeyFile(dir, i).toString());
            }
        }
        List<KeyPair> producers = new ArrayList<>();
        for (int i = 0; i < producerCount; i++) {
            producers.add(KeyPair.generate());
        }
        NetworkParams network = DevnetGenesis.create(name, producers, clock.instant().getEpochSecond());
        Files.createDirectories(dir);
        for (int i = 0; i < producerCount; i++) {
            producers.get(i).save(producerKeyFile(dir, i + 1));
        }
        GenesisFile.write(genesisFile(dir), network.genesis());
        return new Devnet(network, producers);
    }

    /** Reads a network written by {@link #create}: the genesis and every producer-N.key present. */
    public static Devnet load(Path dir) throws IOException, ValidationException {
        NetworkParams network = GenesisFile.read(genesisFile(dir), ChainLimits.DEFAULT);
        List<KeyPair> producers = new ArrayList<>();
        for (int i = 1; i <= MAX_PRODUCERS && Files.exists(producerKeyFile(dir, i)); i++) {
            producers.add(KeyPair.load(producerKeyFile(dir, i)));
        }
        return new Devnet(network, producers);
    }
}
