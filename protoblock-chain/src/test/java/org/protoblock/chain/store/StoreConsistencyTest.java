package org.protoblock.chain.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protoblock.chain.store.StoreFixtures.blockId;
import static org.protoblock.chain.store.StoreFixtures.txId;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.ChainTransaction;

class StoreConsistencyTest {
    private static final int MIN_BLOCKS = 12;
    private InMemoryChainStore store;
    private int headNum;

    /** At least MIN_BLOCKS blocks, and on until the head has transactions to damage. */
    @BeforeEach
    void applySyntheticChain() {
        store = new InMemoryChainStore();
        SyntheticChainWorkload workload = new SyntheticChainWorkload();
        workload.resume(store, 42);
        do {
            headNum = workload.applyNext(store);
        } while (headNum < MIN_BLOCKS - 1 || headBlock().transactions().isEmpty());
    }

    private ChainBlock headBlock() {
        return store.block(store.head().orElseThrow().id()).orElseThrow();
    }

    @Test
    void aChainAppliedOneBatchPerBlockIsConsistent() {
        assertThat(store.head()).map(ChainHead::num).contains(headNum);
        assertThat(StoreConsistency.check(store)).isEmpty();
    }

    @Test
    void anEmptyStoreIsConsistent() {
        assertThat(StoreConsistency.check(new InMemoryChainStore())).isEmpty();
    }

    static Stream<Arguments> damages() {
        return Stream.of(
                damage("main index has no num 5", (s, b) -> s.write(s.newBatch().deleteMainChain(5))),
                damage("above head", (s, b) -> s.write(s.newBatch().putMainChain(b.num() + 1, blockId(1)))),
                damage("not the head", (s, b) -> s.write(s.newBatch().setHead(new ChainHead(b.id(), b.num() - 1)))),
                damage("has no undo", (s, b) -> s.write(s.newBatch().deleteUndo(b.id()))),
                damage("not on the main chain", (s, b) -> s.write(s.newBatch().putUndo(blockId(7), new BlockUndo(List.of())))),
                damage("has no meta", (s, b) -> s.write(s.newBatch().delete(Column.BLOCK_META, Keys.id(blockId(3)))
                        .put(Column.BLOCKS, Keys.id(blockId(3)), new byte[0]))),
                damage("is not stored", (s, b) -> s.write(s.newBatch().deleteBlock(b.id()))),
                damage("is not indexed", (s, b) -> s.write(s.newBatch().deleteTx(b.txIds().get(0)))),
                damage("not in a main-chain block", (s, b) -> s.write(s.newBatch()
                        .putTx(txId(1), new TxLocation(b.id(), b.num(), 99, 0)))),
                damage("has no name key entry", (s, b) -> {
                    NameEntry any = anyName(s);
                    s.write(s.newBatch().delete(Column.NAME_KEYS, Keys.utf8(any.publicKey())));
                }),
                damage("is not registered", (s, b) -> s.write(s.newBatch().deleteName(anyName(s)))),
                damage("already in the main chain", (s, b) -> s.write(s.newBatch()
                        .putMempoolTx(ChainTransaction.of(b.proto().getSignedTransactions(0)), 1))),
                damage("store corrupted: undo", (s, b) -> s.write(s.newBatch()
                        .put(Column.UNDO, Keys.id(b.id()), new byte[] {(byte) 0xFF}))),
                damage("has parent", (s, b) -> {
                    ChainBlock orphan = StoreFixtures.block(b.num(), BlockId.NONE, 1, b.transactions());
                    s.write(s.newBatch().putBlock(orphan, 1).putMainChain(b.num(), orphan.id())
                            .putUndo(orphan.id(), new BlockUndo(List.of())).setHead(orphan.asHead()));
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void reportsEachKindOfDamage(String expected, BiConsumer<ChainStore, ChainBlock> damage) {
        damage.accept(store, headBlock());

        assertThat(StoreConsistency.check(store)).anySatisfy(v -> assertThat(v).contains(expected));
    }

    private static Arguments damage(String expected, BiConsumer<ChainStore, ChainBlock> damage) {
        return Arguments.of(expected, damage);
    }

    private static NameEntry anyName(ChainStore store) {
        NameEntry[] found = new NameEntry[1];
        store.forEach(Column.NAMES, (k, v) -> found[0] = RecordCodec.decodeName(k, v));
        assertThat(found[0]).as("a registered name").isNotNull();
        return found[0];
    }
}
