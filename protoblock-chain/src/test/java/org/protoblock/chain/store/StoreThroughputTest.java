package org.protoblock.chain.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rough figures, not a benchmark: blocks applied per second, one synced batch each. */
@Tag("slow")
class StoreThroughputTest {
    private static final int BLOCKS = 2000;

    @TempDir
    Path dir;

    @Test
    void rocksDbSyncedBlockBatches() {
        try (ChainStore store = RocksDbChainStore.open(dir.resolve("db"))) {
            report("rocksdb (sync=true)", store);
        }
    }

    @Test
    void inMemoryBlockBatches() {
        try (ChainStore store = new InMemoryChainStore()) {
            report("in-memory", store);
        }
    }

    private static void report(String name, ChainStore store) {
        SyntheticChainWorkload workload = new SyntheticChainWorkload();
        workload.resume(store, 1);
        long start = System.nanoTime();
        for (int i = 0; i < BLOCKS; i++) {
            workload.applyNext(store);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s: %d block batches in %.2f s = %.0f batches/s, %d bytes%n",
                name, BLOCKS, seconds, BLOCKS / seconds, store.approximateSizeBytes());
        assertThat(store.head()).isPresent();
    }
}
