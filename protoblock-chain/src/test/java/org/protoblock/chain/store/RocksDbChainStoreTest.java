package org.protoblock.chain.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.protoblock.chain.store.StoreFixtures.blockId;
import static org.protoblock.chain.store.StoreFixtures.dataTx;
import static org.protoblock.chain.store.StoreFixtures.nameTx;
import static org.protoblock.chain.store.StoreFixtures.txId;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.ChainTransaction;

class RocksDbChainStoreTest extends ChainStoreContractTest {
    @TempDir
    Path dir;

    @Override
    protected ChainStore openStore() {
        return RocksDbChainStore.open(dir.resolve("db"));
    }

    private void reopen() {
        store.close();
        store = openStore();
    }

    @Test
    void everythingSurvivesReopen() {
        ChainTransaction name = nameTx("Carol", "pkC", 1);
        ChainBlock b0 = StoreFixtures.block(0, BlockId.NONE, 10, List.of(name));
        NameEntry carol = new NameEntry("Carol", "pkC", name.id(), 0);
        ChainTransaction pending = dataTx("Carol", 2);
        store.write(store.newBatch()
                .putBlock(b0, 1)
                .putMainChain(0, b0.id())
                .putUndo(b0.id(), new BlockUndo(List.of(carol)))
                .putTx(name.id(), new TxLocation(b0.id(), 0, 0, 10))
                .putName(carol)
                .setHead(b0.asHead())
                .putMempoolTx(pending, 5)
                .put(Column.ADDRESS_BOOK, new byte[] {1}, new byte[] {2})
                .put(Column.BANS, new byte[] {3}, new byte[] {4}));
        Map<Column, List<Map.Entry<String, String>>> before = ChainStoreModelTest.contents(store);

        reopen();

        assertThat(ChainStoreModelTest.contents(store)).isEqualTo(before);
        assertThat(store.head()).contains(b0.asHead());
        assertThat(store.block(b0.id()).orElseThrow().proto()).isEqualTo(b0.proto());
        assertThat(store.name("carol")).contains(carol);
        assertThat(store.mempool()).containsExactly(new MempoolEntry(5, pending.proto()));
        assertThat(StoreConsistency.check(store)).isEmpty();
    }

    @Test
    void refusesAnotherSchemaVersion() {
        store.write(store.newBatch().put(Column.META, Keys.SCHEMA_VERSION, RecordCodec.encodeSchemaVersion(99)));
        store.close();

        assertThatThrownBy(this::openStore).isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 99");
        // The refused open released the directory's lock: a second attempt fails the same way.
        assertThatThrownBy(this::openStore).isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 99");
    }

    @Test
    void writesTheSchemaVersionOnCreate() {
        assertThat(store.get(Column.META, Keys.SCHEMA_VERSION))
                .hasValueSatisfying(v -> assertThat(RecordCodec.decodeSchemaVersion(v))
                        .isEqualTo(RocksDbChainStore.SCHEMA_VERSION));
    }

    @Test
    void aSecondOpenOfTheSameDirectoryFailsCleanly() {
        assertThatThrownBy(this::openStore).isInstanceOf(StoreException.class).hasMessageContaining("open");
        store.write(store.newBatch().setHead(new ChainHead(blockId(1), 1)));
        assertThat(store.head()).isPresent();
    }

    @Test
    void manyBatchesThenReopen() {
        for (int i = 0; i < 300; i++) {
            store.write(store.newBatch().putMainChain(i, blockId(i)).putTx(txId(i), new TxLocation(blockId(i), i, 0, i)));
        }
        reopen();
        for (int i = 0; i < 300; i++) {
            assertThat(store.mainChainId(i)).contains(blockId(i));
        }
        Map<Column, Integer> counts = new EnumMap<>(Column.class);
        store.forEach(Column.TX_INDEX, (k, v) -> counts.merge(Column.TX_INDEX, 1, Integer::sum));
        assertThat(counts).containsEntry(Column.TX_INDEX, 300);
    }
}
