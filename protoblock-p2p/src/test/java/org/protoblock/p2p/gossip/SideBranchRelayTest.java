package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.tree.BlockStatus;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;

/**
 * Block gossip relays what its chain stored, each block once: a block that moved the main chain
 * (chain event "head changed") and a competing block stored on a side branch (event "block
 * accepted"), which sync would never fetch since its branch is not longer.
 */
class SideBranchRelayTest {
    @TempDir
    Path dir;

    @Test
    void mainChainAndSideBranchBlocksAreEachAnnouncedOnce() throws Exception {
        Devnet devnet = Devnet.create(2);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode relay = net.addNode();
            TestNode leaf = net.addNode();
            net.connect(leaf, relay);
            ChainBlock main = devnet.childOf(devnet.genesis(), 0, devnet.nameTx("main"));
            ChainBlock rival = devnet.childOf(devnet.genesis(), 1, devnet.nameTx("rival"));

            assertThat(relay.chain().submitBlock(main).get(10, TimeUnit.SECONDS).status()).isEqualTo(BlockStatus.CONNECTED);
            await().atMost(Duration.ofSeconds(10)).until(() -> leaf.chain().head().equals(main.asHead()));
            // Same height, seen second: a side branch at the relay, relayed all the same.
            assertThat(relay.chain().submitBlock(rival).get(10, TimeUnit.SECONDS).status()).isEqualTo(BlockStatus.SIDE_BRANCH);
            await().atMost(Duration.ofSeconds(10)).until(() -> leaf.chain().hasBlock(rival.id()));

            assertThat(leaf.chain().head()).isEqualTo(main.asHead());
            assertThat(leaf.p2p().metrics().announcementsReceived.sum()).as("one NewBlock per block").isEqualTo(2);
        }
    }
}
