package org.protoblock.chain.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.types.ChainHead;

/**
 * Kills a {@link CrashWriter} child JVM with SIGKILL at random points while it applies blocks, then
 * checks in this JVM that the store holds whole blocks only ({@link StoreConsistency}), that every
 * height the writer reported as committed survived, and that the writer resumes from there.
 */
class StoreCrashTest {
    private static final long SEED = 20240611L;
    private static final int ITERATIONS = 20;

    @TempDir
    Path dir;

    @Test
    void sigkillDuringBlockApplicationLeavesWholeBlocksOnly() throws Exception {
        Random random = new Random(SEED);
        Path db = dir.resolve("db");
        int head = -1;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            int target = head + 1 + random.nextInt(25);
            CrashWriterProcess writer = CrashWriterProcess.start(db, SEED, dir.resolve("writer-" + iteration + ".err"),
                    SyntheticChainWorkload.class.getName());
            try {
                await("writer " + iteration + " reaching " + target)
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(2))
                        .until(() -> writer.committed.get() >= target || !writer.process.isAlive());
                assertThat(writer.process.isAlive()).as("writer alive; stderr: %s", writer.stderr()).isTrue();
                assertThat(writer.opened.get()).as("writer resumed from the head").isEqualTo(head);
            } finally {
                writer.kill();
            }
            int lastReported = writer.committed.get();
            try (ChainStore store = RocksDbChainStore.open(db)) {
                ChainHead stored = store.head().orElseThrow();
                // Every reported height is durable; at most one more write returned unreported.
                assertThat(stored.num()).as("iteration %d, other output %s", iteration, writer.otherOutput)
                        .isBetween(lastReported, lastReported + 1);
                List<String> violations = StoreConsistency.check(store);
                assertThat(violations).as("iteration %d at %s", iteration, stored).isEmpty();
                head = stored.num();
            }
        }
        assertThat(head).isGreaterThanOrEqualTo(ITERATIONS);
    }
}
