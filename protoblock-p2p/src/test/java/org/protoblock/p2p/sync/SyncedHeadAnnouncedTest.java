package org.protoblock.p2p.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;

/**
 * A node announces no block while it catches up (its peers compare heads on their own), but the
 * head it reached is announced once sync ends: a peer behind it learns at once, not at its next
 * poll ({@code pollInterval}, 30 s by default).
 */
class SyncedHeadAnnouncedTest {
    @TempDir
    Path dir;

    @Test
    void theHeadReachedBySyncIsAnnouncedWhenSyncEnds() throws Exception {
        Devnet devnet = Devnet.create(1);
        List<ChainBlock> blocks = SyncFixtures.chain(devnet, devnet.genesis(), 300, 10);
        ChainBlock last = blocks.get(blocks.size() - 1);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode source = net.addNode();
            TestNode middle = net.addNode();
            TestNode behind = net.addNode();
            SyncFixtures.load(source.chain(), blocks);
            net.connect(behind, middle); // both at genesis: nothing to compare yet
            net.connect(middle, source);

            await().atMost(Duration.ofSeconds(30)).until(() -> middle.chain().head().equals(last.asHead()));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> behind.chain().head().equals(last.asHead()));
            assertThat(behind.p2p().sync().config().pollInterval()).isGreaterThan(Duration.ofSeconds(10));
        }
    }
}
