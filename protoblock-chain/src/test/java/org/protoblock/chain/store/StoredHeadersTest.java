package org.protoblock.chain.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.service.ChainConfig;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;

class StoredHeadersTest {
    private final Devnet devnet = Devnet.create(1);

    @TempDir
    Path dir;

    @Test
    void aStoreWrittenBeforeTheHeadersColumnGetsItsHeadersOnceAtOpen() throws Exception {
        ChainStore store = RocksDbChainStore.open(dir.resolve("db"));
        List<ChainBlock> blocks = new ArrayList<>();
        ChainConfig config = ChainConfig.defaults(devnet.params()).withClock(devnet.clock());
        try (Chain chain = Chain.open(config, store)) {
            ChainBlock parent = devnet.genesis();
            for (int i = 0; i < 5; i++) {
                ChainBlock block = devnet.childOf(parent, 0);
                chain.submitBlock(block).get(10, TimeUnit.SECONDS);
                blocks.add(block);
                parent = block;
            }
        }
        blocks.add(devnet.genesis());
        try (ChainStore old = RocksDbChainStore.open(dir.resolve("db"))) {
            StoreBatch forget = old.newBatch(); // as an older node left it
            blocks.forEach(b -> forget.delete(Column.HEADERS, Keys.id(b.id())));
            old.write(forget);
            assertThat(old.get(Column.HEADERS, Keys.id(blocks.get(0).id()))).isEmpty();
        }
        store = RocksDbChainStore.open(dir.resolve("db"));
        try (Chain reopened = Chain.open(config, store)) {
            for (ChainBlock b : blocks) {
                assertThat(reopened.serializedHeader(b.id())).isPresent();
                assertThat(store.get(Column.HEADERS, Keys.id(b.id()))).as("header of %s", b.num())
                        .hasValueSatisfying(h -> assertThat(h).isEqualTo(b.proto().getSignedhead().toByteArray()));
            }
            assertThat(StoredHeaders.backfill(store, devnet.genesis().id())).isZero(); // done once
        }
    }

    @Test
    void cutFromFindsTheHeaderOfAStoredBlockAndNothingInGarbage() {
        ChainBlock block = devnet.childOf(devnet.genesis(), 0);
        assertThat(StoredHeaders.cutFrom(block.proto().toByteArray()))
                .hasValueSatisfying(h -> assertThat(h).isEqualTo(block.proto().getSignedhead().toByteArray()));
        assertThat(StoredHeaders.cutFrom(new byte[] {(byte) 0xff, (byte) 0xff, 0x01})).isEmpty();
    }
}
