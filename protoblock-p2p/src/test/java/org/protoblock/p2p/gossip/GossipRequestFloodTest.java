package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.tree.BlockStatus;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.session.PeerErrorException;
import org.protoblock.p2p.session.PeerEvents;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;
import org.protoblock.p2p.wire.proto.GetBlockTxs;
import org.protoblock.p2p.wire.proto.GetTxs;

/**
 * Requests that repeat an item (finding 1 of issue 10): a GetBlockTxs repeating index 0 10,000
 * times is refused before any answer is built, and scored; a GetTxs repeating an id 512 times is
 * answered with one copy. A raw peer (Noise + Hello through a real link, nothing else) sends them.
 */
class GossipRequestFloodTest {
    @TempDir
    Path dir;

    @Test
    void repeatedIndexesAndIdsDoNotMultiplyTheAnswer() throws Exception {
        Devnet devnet = Devnet.create(1);
        try (TestNetwork net = new TestNetwork(devnet, TestNetwork.Kind.IN_PROCESS, TestNetwork.Storage.MEMORY, dir)) {
            TestNode node = net.addNode();
            ChainBlock block = devnet.childOf(devnet.genesis(), 0, devnet.nameTx("repeated"));
            assertThat(node.chain().submitBlock(block).get(10, TimeUnit.SECONDS).status()).isEqualTo(BlockStatus.CONNECTED);
            ChainTransaction pending = devnet.nameTx("pending");
            node.chain().submitTransaction(pending).get(10, TimeUnit.SECONDS);
            try (PeerHost raw = GossipFixtures.bareHost(net, node, new PeerEvents())) {
                Session link = raw.dial(node.address()).get(10, TimeUnit.SECONDS);
                ByteString blockId = ByteString.copyFrom(block.id().toBytes());

                Envelope honest = link.request(Envelope.newBuilder().setGetBlockTxs(GetBlockTxs.newBuilder()
                        .setBlockId(blockId).addIndexes(0)).build()).get(10, TimeUnit.SECONDS);
                assertThat(honest.getBlockTxs().getTxsCount()).isEqualTo(1);
                assertThat(node.p2p().scores().score(raw.nodeId())).isZero();

                Envelope flood = Envelope.newBuilder().setGetBlockTxs(GetBlockTxs.newBuilder()
                        .setBlockId(blockId).addAllIndexes(Collections.nCopies(10_000, 0))).build();
                Throwable refused = catchThrowable(() -> link.request(flood).get(10, TimeUnit.SECONDS));
                assertThat(refused).as("answered instead of refused").isInstanceOf(ExecutionException.class);
                assertThat(refused.getCause()).isInstanceOf(PeerErrorException.class);
                assertThat(((PeerErrorException) refused.getCause()).code()).isEqualTo(ErrorResponse.Code.BAD_REQUEST);
                await().atMost(Duration.ofSeconds(5)).until(() -> node.p2p().scores().score(raw.nodeId()) > 0);

                List<ByteString> sameId = Collections.nCopies(512, ByteString.copyFrom(pending.id().toBytes()));
                Envelope txs = link.request(Envelope.newBuilder().setGetTxs(GetTxs.newBuilder().addAllTxIds(sameId)).build())
                        .get(10, TimeUnit.SECONDS);
                assertThat(txs.getTxs().getTxsCount()).isEqualTo(1);
                assertThat(link.isOpen()).isTrue();
            }
        }
    }
}
