package org.protoblock.p2p.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.service.ChainConfig;
import org.protoblock.chain.service.ChainListener;
import org.protoblock.chain.store.Column;
import org.protoblock.chain.store.InMemoryChainStore;
import org.protoblock.chain.store.Keys;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.tree.BlockStatus;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.TxId;

/** The real chain seen through p2p's {@link ChainAccess}: what sync and gossip rely on. */
class ChainAdapterTest {
    private final Devnet devnet = Devnet.create(1);
    private final Chain chain;
    private final ChainAccess access;

    ChainAdapterTest() throws Exception {
        chain = Chain.open(ChainConfig.defaults(devnet.params()).withClock(devnet.clock()), new InMemoryChainStore());
        access = new ChainAdapter(chain);
    }

    @AfterEach
    void close() {
        chain.close();
    }

    private AddOutcome submit(ChainBlock block) throws Exception {
        return access.submitBlock(block).get(10, TimeUnit.SECONDS);
    }

    @Test
    void headersAreStoredApartAndOlderBlocksFallBackToTheirStoredBytes() throws Exception {
        InMemoryChainStore store = new InMemoryChainStore();
        try (Chain own = Chain.open(ChainConfig.defaults(devnet.params()).withClock(devnet.clock()), store)) {
            ChainAdapter adapter = new ChainAdapter(own);
            ChainBlock block = devnet.childOf(devnet.genesis(), 0, devnet.nameTx("headers"));
            assertThat(adapter.submitBlock(block).get(10, TimeUnit.SECONDS).status()).isEqualTo(BlockStatus.CONNECTED);
            byte[] header = block.proto().getSignedhead().toByteArray();
            assertThat(store.get(Column.HEADERS, Keys.id(block.id()))).hasValueSatisfying(b -> assertThat(b).isEqualTo(header));
            assertThat(adapter.serializedHeader(block.id())).hasValueSatisfying(b -> assertThat(b).isEqualTo(header));

            store.write(store.newBatch().delete(Column.HEADERS, Keys.id(block.id()))); // as stored before the column
            assertThat(adapter.serializedHeader(block.id())).hasValueSatisfying(b -> assertThat(b).isEqualTo(header));
            assertThat(adapter.serializedHeader(BlockId.wrap(new byte[32]))).isEmpty();
        }
    }

    @Test
    void storedBlocksAreServedAsTheirWireBytesAndIncludedTransactionsAreKnown() throws Exception {
        ChainTransaction tx = devnet.nameTx("adapter");
        ChainBlock block = devnet.childOf(devnet.genesis(), 0, tx);
        assertThat(submit(block).status()).isEqualTo(BlockStatus.CONNECTED);

        assertThat(access.serializedBlock(block.id())).hasValueSatisfying(bytes ->
                assertThat(bytes).isEqualTo(block.proto().toByteArray()));
        assertThat(access.serializedBlock(BlockId.wrap(new byte[32]))).isEmpty();
        assertThat(access.isIncluded(tx.id())).isTrue();
        assertThat(access.isIncluded(devnet.nameTx("pending").id())).isFalse();
        assertThat(access.head()).isEqualTo(block.asHead());
        assertThat(access.mainChainId(1)).contains(block.id());
        assertThat(access.forkPoint(List.of(BlockId.wrap(new byte[32]), block.id()))).isEqualTo(block.asHead());
        assertThat(access.forkPoint(List.of(BlockId.wrap(new byte[32])))).isEqualTo(new ChainHead(devnet.genesis().id(), 0));
        assertThat(access.networkId()).isEqualTo(devnet.params().networkId());
        assertThat(access.genesisId()).isEqualTo(devnet.genesis().id());
    }

    @Test
    void eachConnectedBlockIsOneHeadEventUntilUnsubscribed() throws Exception {
        List<ChainHead> heads = new CopyOnWriteArrayList<>();
        ChainListener listener = new ChainListener() {
            @Override
            public void onHeadChanged(AddOutcome outcome) {
                heads.add(outcome.newHead());
            }
        };
        access.subscribe(listener);
        ChainBlock first = devnet.childOf(devnet.genesis(), 0);
        ChainBlock second = devnet.childOf(first, 0);
        submit(first);
        submit(first); // a duplicate is no new fact
        access.unsubscribe(listener);
        submit(second);
        // Listeners run on the chain executor before the submission's future completes.
        assertThat(heads).containsExactly(first.asHead());
        assertThat(access.head()).isEqualTo(second.asHead());
    }

    @Test
    void aPendingTransactionABlockInvalidatedIsAConflictNotAnInclusion() throws Exception {
        Map<ChainListener.RemovalReason, List<TxId>> removed = new ConcurrentHashMap<>();
        access.subscribe(new ChainListener() {
            @Override
            public void onTransactionsRemoved(List<ChainTransaction> txs, RemovalReason reason) {
                removed.computeIfAbsent(reason, r -> new CopyOnWriteArrayList<>()).addAll(txs.stream().map(ChainTransaction::id).toList());
            }
        });
        ChainTransaction loser = devnet.nameTx("taken");
        ChainTransaction included = devnet.nameTx("free");
        access.submitTransaction(loser).get(10, TimeUnit.SECONDS);
        access.submitTransaction(included).get(10, TimeUnit.SECONDS);
        ChainTransaction winner = devnet.nameTx("taken"); // the same name, another key
        assertThat(submit(devnet.childOf(devnet.genesis(), 0, winner, included)).status()).isEqualTo(BlockStatus.CONNECTED);

        assertThat(removed).containsOnlyKeys(ChainListener.RemovalReason.INCLUDED, ChainListener.RemovalReason.CONFLICT);
        assertThat(removed.get(ChainListener.RemovalReason.INCLUDED)).containsExactly(included.id());
        assertThat(removed.get(ChainListener.RemovalReason.CONFLICT)).containsExactly(loser.id());
        assertThat(access.mempoolContains(loser.id())).isFalse();
    }
}
