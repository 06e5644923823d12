package org.protoblock.p2p.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.crypto.Secp256k1Verifier;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;

/**
 * Headers-first sync verifies each header's producer signature before asking for the body; the
 * chain does not verify it again when the block connects (one cached verifier for both).
 */
class HeaderSignatureOnceTest {
    @TempDir
    Path dir;

    @Test
    void everySignatureOfASyncedChainIsVerifiedExactlyOnceInTheJvm() throws Exception {
        Devnet devnet = Devnet.create(1);
        List<ChainBlock> blocks = SyncFixtures.chain(devnet, devnet.genesis(), 600, 10);
        long signatures = blocks.size() + blocks.stream().mapToLong(b -> b.transactions().size()).sum();
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode peer = net.addNode();
            TestNode node = net.addNode();
            SyncFixtures.load(peer.chain(), blocks);
            long before = Secp256k1Verifier.verifications();

            net.connect(node, peer);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> node.chain().head().id().equals(blocks.get(blocks.size() - 1).id()));

            assertThat(node.p2p().metrics().headersReceived.sum()).isEqualTo(blocks.size());
            // each header once (by sync, not again on connect), each transaction once; nothing else verifies meanwhile
            assertThat(Secp256k1Verifier.verifications() - before).isEqualTo(signatures);
        }
    }
}
