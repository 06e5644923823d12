package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.TxId;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;

/**
 * Finding 3 of issue 10 (gossip part): a flood of transactions signed for a name nobody
 * registered is no longer free. A few are forgiven (the registration may be in flight); hundreds
 * in a row, none accepted, are scored SPAM.
 */
class UnknownNameFloodTest {
    @TempDir
    Path dir;

    @Test
    void hundredsOfUnknownNameTransactionsInARowAreScored() throws Exception {
        Devnet devnet = Devnet.create(1);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode victim = net.addNode();
            devnet.nameTx("ghost"); // keeps a key for the name; the registration itself is never sent
            Map<TxId, ByteString> bodies = new LinkedHashMap<>();
            for (ChainTransaction tx : devnet.dataTxs("ghost", 300)) {
                bodies.put(tx.id(), tx.proto().toByteString());
            }
            try (PeerHost flooder = GossipFixtures.bareHost(net, victim, GossipFixtures.servingTxs(bodies))) {
                Session link = flooder.dial(victim.address()).get(10, TimeUnit.SECONDS);
                GossipFixtures.announceTxs(link, bodies.keySet());
                await().atMost(Duration.ofSeconds(20)).until(() -> victim.p2p().scores().score(flooder.nodeId()) > 0);
                assertThat(victim.chain().mempoolSize()).isZero();
            }
        }
    }
}
