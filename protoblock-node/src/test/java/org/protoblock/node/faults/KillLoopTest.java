package org.protoblock.node.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short kill loop of the default test run: 5 SIGKILLs of node programs (3 of a node in the
 * middle of its sync, 2 of the producer while it produces) under transaction load; every store
 * consistent after each kill and at the end, heads agree, every accepted transaction on every
 * chain. The full run is {@code protoblock-bench/fault-suite} (100 kills).
 */
class KillLoopTest {
    @TempDir
    Path dir;

    @Test
    void nodesSurviveSigkillDuringSyncAndProductionWithoutLosingAcceptedTransactions() throws Exception {
        KillLoop.Result result = new KillLoop(dir, NodeLauncher.testClasspath("-Xmx256m"),
                new KillLoop.Config(5, 20, 1_000, 10, 7)).run();

        assertThat(result.failures()).as(result.summary()).isEmpty();
        assertThat(result.kills()).hasSize(5);
        assertThat(result.midSyncKills()).as("kills that hit node 2 while it was behind").isGreaterThanOrEqualTo(2);
        assertThat(result.accepted()).as("transactions accepted under the kills").isGreaterThan(50);
    }
}
