package org.protoblock.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.service.ChainConfig;
import org.protoblock.chain.store.RocksDbChainStore;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.tree.BlockStatus;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.ValidationException;

/**
 * A pre-made chain of valid devnet blocks, and fresh RocksDB-backed {@link Chain}s to apply it to.
 *
 * <p>Transactions alternate, over the whole chain: even ones register a new name with a fresh key
 * (NAME), odd ones are version-4 DATA signed by a name registered earlier (round robin over the
 * producer's genesis name and every name registered so far). So a block of K transactions costs
 * K + 1 signature checks (the header too) and both the name registry and the transaction index are
 * read and written. The devnet clock stays at its genesis time, so nonces and timestamps are valid.
 *
 * <p>Store directories go under {@code -Dbench.dir} (default: the JVM temp dir), which must be a real
 * disk: RocksDB writes with sync=true, and a tmpfs would hide the cost of fsync.
 */
final class BenchChain {
    private final Devnet devnet;
    private final List<ChainBlock> blocks;

    private BenchChain(Devnet devnet, List<ChainBlock> blocks) {
        this.devnet = devnet;
        this.blocks = List.copyOf(blocks);
    }

    /** {@code blockCount} blocks of {@code txsPerBlock} transactions on a one-producer devnet. */
    static BenchChain generate(int blockCount, int txsPerBlock) {
        Devnet devnet = Devnet.create(1);
        List<String> names = new ArrayList<>(List.of(devnet.producerName(0)));
        List<ChainBlock> blocks = new ArrayList<>();
        ChainBlock tip = devnet.genesis();
        long txCount = 0;
        for (int b = 0; b < blockCount; b++) {
            List<ChainTransaction> txs = new ArrayList<>(txsPerBlock);
            for (int t = 0; t < txsPerBlock; t++, txCount++) {
                if (txCount % 2 == 0) {
                    String name = "n" + txCount;
                    txs.add(devnet.nameTx(name));
                    names.add(name);
                } else {
                    txs.add(devnet.dataTx(names.get((int) (txCount / 2 % names.size()))));
                }
            }
            tip = devnet.childOf(tip, 0, txs);
            blocks.add(tip);
        }
        return new BenchChain(devnet, blocks);
    }

    List<ChainBlock> blocks() {
        return blocks;
    }

    int transactionCount() {
        return blocks.stream().mapToInt(b -> b.transactions().size()).sum();
    }

    /** A chain of this devnet over a new, empty RocksDB store in {@code dir}. */
    Chain openChain(Path dir) {
        ChainConfig config = ChainConfig.defaults(devnet.params()).withClock(devnet.clock());
        try {
            return Chain.open(config, RocksDbChainStore.open(dir));
        } catch (ValidationException e) {
            throw new IllegalStateException("devnet genesis rejected: " + e.getMessage(), e);
        }
    }

    /** Fails loudly unless every outcome is CONNECTED and the head is the last block. */
    void checkAllConnected(List<AddOutcome> outcomes, Chain chain) {
        for (AddOutcome outcome : outcomes) {
            if (outcome.status() != BlockStatus.CONNECTED) {
                throw new IllegalStateException("block " + outcome.blockId() + " was " + outcome.status() + ": "
                        + outcome.error().map(Throwable::getMessage).orElse(""));
            }
        }
        ChainBlock last = blocks.get(blocks.size() - 1);
        if (!chain.head().id().equals(last.id())) {
            throw new IllegalStateException("head " + chain.head() + ", expected block " + last.num());
        }
    }

    static Path newStoreDir() {
        try {
            Path base = Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")));
            Files.createDirectories(base);
            return Files.createTempDirectory(base, "protoblock-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
