package org.protoblock.chain.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.protoblock.chain.store.StoreFixtures.blockId;
import static org.protoblock.chain.store.StoreFixtures.dataTx;
import static org.protoblock.chain.store.StoreFixtures.nameTx;
import static org.protoblock.chain.store.StoreFixtures.txId;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.ChainTransaction;

/** What every {@link ChainStore} must do; subclasses supply the backend. */
abstract class ChainStoreContractTest {
    protected ChainStore store;

    protected abstract ChainStore openStore();

    @BeforeEach
    void open() {
        store = openStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected void write(StoreBatch batch) {
        store.write(batch);
    }

    @Test
    void mainnetGenesisRoundTripsByteIdentical() {
        byte[] received = StoreFixtures.mainnetGenesisBytes();
        ChainBlock genesis = StoreFixtures.parse(received);

        write(store.newBatch().putBlock(genesis, 7));

        assertThat(store.get(Column.BLOCKS, Keys.id(genesis.id()))).hasValueSatisfying(
                stored -> assertThat(stored).isEqualTo(received));
        ChainBlock read = store.block(genesis.id()).orElseThrow();
        assertThat(read.proto().toByteArray()).isEqualTo(received);
        assertThat(read.id()).isEqualTo(genesis.id());
        assertThat(read.txIds()).isEqualTo(genesis.txIds());
        BlockMeta meta = store.blockMeta(genesis.id()).orElseThrow();
        assertThat(meta).isEqualTo(new BlockMeta(genesis.id(), genesis.parentId().orElse(BlockId.NONE), 0, 7,
                genesis.header().getTimestamp()));
    }

    @Test
    void syntheticBlocksRoundTripWithMeta() {
        ChainBlock b0 = StoreFixtures.block(0, BlockId.NONE, 1000, List.of());
        ChainBlock b1 = StoreFixtures.block(1, b0.id(), 1001,
                List.of(nameTx("Alice", "pkA", 1), dataTx("Alice", 2)));

        write(store.newBatch().putBlock(b0, 1).putBlock(b1, 2));

        assertThat(store.block(b1.id())).hasValueSatisfying(read -> {
            assertThat(read.proto()).isEqualTo(b1.proto());
            assertThat(read.txIds()).isEqualTo(b1.txIds());
        });
        assertThat(store.blockMeta(b1.id())).contains(new BlockMeta(b1.id(), b0.id(), 1, 2, 1001));
        assertThat(store.containsBlock(b0.id())).isTrue();
        assertThat(store.containsBlock(blockId(99))).isFalse();
        assertThat(store.block(blockId(99))).isEmpty();
        assertThat(store.blockMeta(blockId(99))).isEmpty();
        List<BlockMeta> metas = new ArrayList<>();
        store.forEachBlockMeta(metas::add);
        assertThat(metas).extracting(BlockMeta::id).containsExactlyInAnyOrder(b0.id(), b1.id());
    }

    @Test
    void deleteBlockRemovesBlockAndMeta() {
        ChainBlock b = StoreFixtures.block(3, blockId(2), 5, List.of());
        write(store.newBatch().putBlock(b, 1));

        write(store.newBatch().deleteBlock(b.id()));

        assertThat(store.containsBlock(b.id())).isFalse();
        assertThat(store.block(b.id())).isEmpty();
        assertThat(store.get(Column.BLOCKS, Keys.id(b.id()))).isEmpty();
    }

    @Test
    void mainIndexIteratesInNumericOrder() {
        int[] nums = {65536, 256, 255, 1, 0, 2, 511, 257, 16_777_216, 128, 127, Integer.MAX_VALUE};
        StoreBatch batch = store.newBatch();
        for (int num : nums) {
            batch.putMainChain(num, blockId(num));
        }
        write(batch);

        List<Integer> order = new ArrayList<>();
        store.forEach(Column.MAIN_INDEX, (key, value) -> order.add(Keys.numOf(key)));
        assertThat(order).isEqualTo(Arrays.stream(nums).sorted().boxed().toList());
        for (int num : nums) {
            assertThat(store.mainChainId(num)).contains(blockId(num));
        }
        assertThat(store.mainChainId(3)).isEmpty();
        assertThat(store.mainChainId(-1)).isEmpty();

        write(store.newBatch().deleteMainChain(256));
        assertThat(store.mainChainId(256)).isEmpty();
        assertThat(store.mainChainId(255)).contains(blockId(255));
    }

    @Test
    void headIsAbsentThenLastWritten() {
        assertThat(store.head()).isEmpty();
        write(store.newBatch().setHead(new ChainHead(blockId(1), 1)));
        write(store.newBatch().setHead(new ChainHead(blockId(2), 300)));
        assertThat(store.head()).contains(new ChainHead(blockId(2), 300));
    }

    @Test
    void undoRoundTripsAndDeletes() {
        BlockUndo undo = new BlockUndo(List.of(new NameEntry("Alice", "pkA", txId(1), 4),
                new NameEntry("bob", "pkB", txId(2), 4)));
        write(store.newBatch().putUndo(blockId(4), undo).putUndo(blockId(5), new BlockUndo(List.of())));

        assertThat(store.undo(blockId(4))).contains(undo);
        assertThat(store.undo(blockId(5))).contains(new BlockUndo(List.of()));
        write(store.newBatch().deleteUndo(blockId(4)));
        assertThat(store.undo(blockId(4))).isEmpty();
    }

    @Test
    void txIndexRoundTripsAndDeletes() {
        TxLocation location = new TxLocation(blockId(9), 9, 3, 1_700_000_000);
        write(store.newBatch().putTx(txId(1), location));

        assertThat(store.txLocation(txId(1))).contains(location);
        assertThat(store.txLocation(txId(2))).isEmpty();
        write(store.newBatch().deleteTx(txId(1)));
        assertThat(store.txLocation(txId(1))).isEmpty();
    }

    @Test
    void namesAreFoldedAndMirroredByKey() {
        NameEntry alice = new NameEntry("AliCe", "pkA", txId(1), 2);
        write(store.newBatch().putName(alice));

        assertThat(store.name("alice")).contains(alice);
        assertThat(store.name(NameEntry.fold("ALICE"))).contains(alice);
        assertThat(store.name("AliCe")).isEmpty();
        assertThat(store.nameOfKey("pkA")).contains("alice");
        assertThat(store.nameOfKey("pkB")).isEmpty();

        write(store.newBatch().deleteName(alice));
        assertThat(store.name("alice")).isEmpty();
        assertThat(store.nameOfKey("pkA")).isEmpty();
    }

    @Test
    void mempoolIsInArrivalOrderAndDeletes() {
        List<ChainTransaction> txs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            txs.add(dataTx("user" + i, i));
        }
        StoreBatch batch = store.newBatch();
        for (int i = 0; i < txs.size(); i++) {
            batch.putMempoolTx(txs.get(i), 1000 - i * 10L);
        }
        write(batch);

        List<MempoolEntry> mempool = store.mempool();
        assertThat(mempool).extracting(MempoolEntry::arrivalSeq).isSorted().hasSize(20);
        assertThat(mempool.get(0).transaction()).isEqualTo(txs.get(19).proto());

        write(store.newBatch().deleteMempoolTx(txs.get(19).id()).putMempoolTx(txs.get(0), 1));
        assertThat(store.mempool()).hasSize(19).first().isEqualTo(new MempoolEntry(1, txs.get(0).proto()));
        assertThat(store.mempool()).extracting(MempoolEntry::transaction).doesNotContain(txs.get(19).proto());
    }

    @Test
    void genericColumnsUseUnsignedByteOrderAndCopyKeys() {
        byte[] key = {0x7F};
        byte[] value = {1, 2};
        StoreBatch batch = store.newBatch()
                .put(Column.BANS, new byte[] {(byte) 0xFF}, new byte[] {3})
                .put(Column.BANS, key, value)
                .put(Column.BANS, new byte[] {0x00, 0x01}, new byte[0])
                .put(Column.BANS, new byte[] {(byte) 0x80}, new byte[] {4})
                .put(Column.ADDRESS_BOOK, key, new byte[] {9});
        key[0] = 0x10;
        value[0] = 0x10;
        write(batch);

        List<String> keys = new ArrayList<>();
        store.forEach(Column.BANS, (k, v) -> keys.add(HexFormat.of().formatHex(k)));
        assertThat(keys).containsExactly("0001", "7f", "80", "ff");
        assertThat(store.get(Column.BANS, new byte[] {0x7F})).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2));
        assertThat(store.get(Column.BANS, new byte[] {0x00, 0x01})).hasValueSatisfying(v -> assertThat(v).isEmpty());
        assertThat(store.get(Column.ADDRESS_BOOK, new byte[] {0x7F})).hasValueSatisfying(v -> assertThat(v).containsExactly(9));
        assertThat(store.get(Column.META, new byte[] {0x7F})).isEmpty();

        write(store.newBatch().delete(Column.BANS, new byte[] {(byte) 0xFF}).delete(Column.BANS, new byte[] {0x55}));
        assertThat(store.get(Column.BANS, new byte[] {(byte) 0xFF})).isEmpty();
    }

    @Test
    void returnedArraysAreCopies() {
        write(store.newBatch().put(Column.BANS, new byte[] {1}, new byte[] {2}));
        store.get(Column.BANS, new byte[] {1}).orElseThrow()[0] = 9;
        store.forEach(Column.BANS, (k, v) -> {
            k[0] = 9;
            v[0] = 9;
        });
        assertThat(store.get(Column.BANS, new byte[] {1})).hasValueSatisfying(v -> assertThat(v).containsExactly(2));
    }

    @Test
    void laterOperationsInABatchWin() {
        write(store.newBatch()
                .put(Column.BANS, new byte[] {1}, new byte[] {1})
                .delete(Column.BANS, new byte[] {1})
                .delete(Column.BANS, new byte[] {2})
                .put(Column.BANS, new byte[] {2}, new byte[] {2})
                .put(Column.BANS, new byte[] {3}, new byte[] {3})
                .put(Column.BANS, new byte[] {3}, new byte[] {4}));

        assertThat(store.get(Column.BANS, new byte[] {1})).isEmpty();
        assertThat(store.get(Column.BANS, new byte[] {2})).isPresent();
        assertThat(store.get(Column.BANS, new byte[] {3})).hasValueSatisfying(v -> assertThat(v).containsExactly(4));
    }

    @Test
    void aBatchFailingPartWayLeavesNothing() {
        ChainBlock b = StoreFixtures.block(1, blockId(0), 5, List.of(dataTx("x", 1)));
        write(store.newBatch().put(Column.BANS, new byte[] {1}, new byte[] {1}));
        EncodedBatch batch = (EncodedBatch) store.newBatch()
                .putBlock(b, 1)
                .putMainChain(1, b.id())
                .delete(Column.BANS, new byte[] {1})
                .setHead(b.asHead());
        batch.add(sink -> {
            throw new IllegalStateException("injected encoding failure");
        });
        batch.putTx(txId(1), new TxLocation(b.id(), 1, 0, 5));

        assertThatThrownBy(() -> store.write(batch)).hasMessageContaining("injected encoding failure");

        assertThat(store.containsBlock(b.id())).isFalse();
        assertThat(store.mainChainId(1)).isEmpty();
        assertThat(store.head()).isEmpty();
        assertThat(store.txLocation(txId(1))).isEmpty();
        assertThat(store.get(Column.BANS, new byte[] {1})).isPresent();
        write(store.newBatch().setHead(b.asHead()));
        assertThat(store.head()).contains(b.asHead());
    }

    @Test
    void emptyBatchIsANoOp() {
        StoreBatch batch = store.newBatch();
        assertThat(batch.isEmpty()).isTrue();
        write(batch);
        assertThat(batch.setHead(new ChainHead(blockId(1), 1)).isEmpty()).isFalse();
    }

    @Test
    void rejectsABatchItDidNotMake() {
        StoreBatch foreign = (StoreBatch) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {StoreBatch.class}, (proxy, method, args) -> null);
        assertThatThrownBy(() -> store.write(foreign)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void corruptRecordsNameColumnAndKey() {
        BlockId id = blockId(7);
        byte[] key = Keys.id(id);
        byte[] garbage = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        write(store.newBatch()
                .put(Column.BLOCK_META, key, garbage)
                .put(Column.BLOCKS, key, garbage)
                .put(Column.UNDO, key, garbage)
                .put(Column.MAIN_INDEX, Keys.num(3), new byte[] {1, 2, 3})
                .put(Column.META, Keys.HEAD, garbage)
                .put(Column.NAME_KEYS, Keys.utf8("pk"), new byte[] {(byte) 0xC3, 0x28}));

        assertThatThrownBy(() -> store.blockMeta(id)).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("block_meta[" + id.toHex() + "]");
        assertThatThrownBy(() -> store.block(id)).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("blocks[" + id.toHex() + "]");
        assertThatThrownBy(() -> store.undo(id)).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("undo[");
        assertThatThrownBy(() -> store.mainChainId(3)).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("main_index[00000003]");
        assertThatThrownBy(() -> store.head()).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("meta[");
        assertThatThrownBy(() -> store.nameOfKey("pk")).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("name_keys[");
    }

    @Test
    void aBlockStoredUnderAnotherIdIsCorrupt() {
        ChainBlock b = StoreFixtures.block(1, blockId(0), 5, List.of());
        write(store.newBatch().put(Column.BLOCKS, Keys.id(blockId(1)), b.proto().toByteArray()));
        assertThatThrownBy(() -> store.block(blockId(1))).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("hashes to " + b.id());
    }

    @Test
    void approximateSizeIsReported() {
        StoreBatch batch = store.newBatch();
        for (int i = 0; i < 100; i++) {
            batch.putBlock(StoreFixtures.block(i, blockId(i), i, List.of(dataTx("u", i))), i);
        }
        write(batch);
        assertThat(store.approximateSizeBytes()).isPositive();
    }

    @Test
    void readersNeverSeeHalfABatch() throws Exception {
        byte[] first = {1};
        byte[] second = {2};
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            int torn = 0;
            while (!done.get()) {
                // The writer puts "first" before "second" in each batch, so reading them in that
                // order can only see first <= second unless a batch is half applied.
                int a = store.get(Column.BANS, first).map(v -> v[0] & 0xFF).orElse(0);
                int b = store.get(Column.BANS, second).map(v -> v[0] & 0xFF).orElse(0);
                if (a > b) {
                    torn++;
                }
            }
            return torn;
        });
        for (int i = 1; i <= 200; i++) {
            byte[] value = {(byte) i};
            write(store.newBatch().put(Column.BANS, first, value).put(Column.BANS, second, value));
        }
        done.set(true);
        assertThat(reader.get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void closeIsIdempotentAndLaterCallsFail() {
        store.close();
        store.close();
        assertThatThrownBy(() -> store.head()).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.write(store.newBatch().setHead(new ChainHead(blockId(1), 1))))
                .isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.forEach(Column.BANS, (k, v) -> { }))
                .isInstanceOf(StoreException.class);
    }
}
