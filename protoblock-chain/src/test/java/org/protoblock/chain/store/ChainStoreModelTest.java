package org.protoblock.chain.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.protoblock.chain.store.StoreFixtures.blockId;
import static org.protoblock.chain.store.StoreFixtures.txId;

import java.nio.file.Path;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.ChainTransaction;

/**
 * Seeded random batches applied to both stores and to a reference model (a sorted map per column
 * applying each operation in order); every column must hold the same entries in the same order.
 */
class ChainStoreModelTest {
    private static final int BATCHES = 300;
    private static final int[] NUMS = {0, 1, 2, 127, 128, 255, 256, 257, 511, 65535, 65536, 16_777_216};
    private static final String[] NAMES = {"Alice", "ALICE", "bob", "Bob", "carol", "dave"};

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void bothStoresMatchTheModel(long seed) {
        Random random = new Random(seed);
        List<ChainBlock> blocks = new ArrayList<>();
        List<ChainTransaction> txs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            txs.add(StoreFixtures.dataTx("user" + i, i));
        }
        for (int i = 0; i < 15; i++) {
            blocks.add(StoreFixtures.block(i, blockId(i), i, txs.subList(0, random.nextInt(4))));
        }
        ReferenceModel model = new ReferenceModel();
        ChainStore memory = new InMemoryChainStore();
        ChainStore rocks = RocksDbChainStore.open(dir.resolve("db"));
        model.put(Column.META, Keys.SCHEMA_VERSION, RecordCodec.encodeSchemaVersion(RocksDbChainStore.SCHEMA_VERSION));
        memory.write(memory.newBatch().put(Column.META, Keys.SCHEMA_VERSION,
                RecordCodec.encodeSchemaVersion(RocksDbChainStore.SCHEMA_VERSION)));
        try {
            for (int b = 1; b <= BATCHES; b++) {
                EncodedBatch batch = (EncodedBatch) memory.newBatch();
                int ops = 1 + random.nextInt(12);
                for (int i = 0; i < ops; i++) {
                    randomOp(random, batch, blocks, txs);
                }
                if (random.nextInt(20) == 0) {
                    batch.add(sink -> {
                        throw new IllegalStateException("poisoned");
                    });
                    randomOp(random, batch, blocks, txs);
                    assertThatThrownBy(() -> memory.write(batch)).hasMessage("poisoned");
                    ChainStore poisoned = rocks;
                    assertThatThrownBy(() -> poisoned.write(batch)).hasMessage("poisoned");
                } else {
                    memory.write(batch);
                    rocks.write(batch);
                    batch.stageInto(model);
                }
                if (b % 60 == 0) {
                    rocks.close();
                    rocks = RocksDbChainStore.open(dir.resolve("db"));
                }
                if (b % 10 == 0 || b == BATCHES) {
                    Map<Column, List<Map.Entry<String, String>>> expected = model.contents();
                    assertThat(contents(memory)).as("memory after batch %d", b).isEqualTo(expected);
                    assertThat(contents(rocks)).as("rocks after batch %d", b).isEqualTo(expected);
                    assertThat(rocks.head()).isEqualTo(memory.head());
                    assertThat(rocks.mempool()).isEqualTo(memory.mempool());
                    for (ChainBlock block : blocks) {
                        assertThat(rocks.blockMeta(block.id())).isEqualTo(memory.blockMeta(block.id()));
                    }
                }
            }
        } finally {
            memory.close();
            rocks.close();
        }
    }

    private static void randomOp(Random random, StoreBatch batch, List<ChainBlock> blocks,
                                 List<ChainTransaction> txs) {
        ChainBlock block = blocks.get(random.nextInt(blocks.size()));
        ChainTransaction tx = txs.get(random.nextInt(txs.size()));
        int num = NUMS[random.nextInt(NUMS.length)];
        String name = NAMES[random.nextInt(NAMES.length)];
        NameEntry entry = new NameEntry(name, "pk" + random.nextInt(4), txId(random.nextInt(5)), num);
        Column generic = List.of(Column.ADDRESS_BOOK, Column.BANS, Column.META).get(random.nextInt(3));
        byte[] key = randomBytes(random, random.nextInt(4));
        switch (random.nextInt(17)) {
            case 0, 1 -> batch.putBlock(block, random.nextInt(100));
            case 2 -> batch.deleteBlock(block.id());
            case 3 -> batch.putMainChain(num, block.id());
            case 4 -> batch.deleteMainChain(num);
            case 5 -> batch.putUndo(block.id(), new BlockUndo(random.nextBoolean() ? List.of(entry) : List.of()));
            case 6 -> batch.deleteUndo(block.id());
            case 7 -> batch.putTx(tx.id(), new TxLocation(block.id(), num, random.nextInt(3), num));
            case 8 -> batch.deleteTx(tx.id());
            case 9 -> batch.putName(entry);
            case 10 -> batch.deleteName(entry);
            case 11 -> batch.setHead(new ChainHead(block.id(), num));
            case 12 -> batch.putMempoolTx(tx, random.nextInt(50));
            case 13 -> batch.deleteMempoolTx(tx.id());
            case 14, 15 -> batch.put(generic, key, randomBytes(random, random.nextInt(6)));
            default -> batch.delete(generic, key);
        }
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        if (length > 0 && random.nextBoolean()) {
            bytes[0] = random.nextBoolean() ? (byte) 0x00 : (byte) 0xFF;
        }
        return bytes;
    }

    /** Every column's entries as hex, in the store's iteration order. */
    static Map<Column, List<Map.Entry<String, String>>> contents(ChainStore store) {
        Map<Column, List<Map.Entry<String, String>>> contents = new EnumMap<>(Column.class);
        for (Column column : Column.values()) {
            List<Map.Entry<String, String>> entries = new ArrayList<>();
            store.forEach(column, (k, v) -> entries.add(hexEntry(k, v)));
            contents.put(column, entries);
        }
        return contents;
    }

    private static Map.Entry<String, String> hexEntry(byte[] key, byte[] value) {
        return new SimpleImmutableEntry<>(HexFormat.of().formatHex(key), HexFormat.of().formatHex(value));
    }

    /** The reference: operations applied in order to one unsigned-ordered map per column. */
    private static final class ReferenceModel implements OpSink {
        private final Map<Column, TreeMap<byte[], byte[]>> columns = new EnumMap<>(Column.class);

        ReferenceModel() {
            for (Column column : Column.values()) {
                columns.put(column, new TreeMap<>(Arrays::compareUnsigned));
            }
        }

        @Override
        public void put(Column column, byte[] key, byte[] value) {
            columns.get(column).put(key.clone(), value.clone());
        }

        @Override
        public void delete(Column column, byte[] key) {
            columns.get(column).remove(key);
        }

        Map<Column, List<Map.Entry<String, String>>> contents() {
            Map<Column, List<Map.Entry<String, String>>> contents = new EnumMap<>(Column.class);
            columns.forEach((column, map) -> contents.put(column,
                    map.entrySet().stream().map(e -> hexEntry(e.getKey(), e.getValue())).toList()));
            return contents;
        }
    }
}
