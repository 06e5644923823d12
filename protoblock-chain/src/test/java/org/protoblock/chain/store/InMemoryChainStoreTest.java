package org.protoblock.chain.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InMemoryChainStoreTest extends ChainStoreContractTest {

    @Override
    protected ChainStore openStore() {
        return new InMemoryChainStore();
    }

    @Test
    void sizeCountsKeysAndValuesHeld() {
        store.write(store.newBatch().put(Column.BANS, new byte[] {1}, new byte[10]));
        assertThat(store.approximateSizeBytes()).isEqualTo(11);
        store.write(store.newBatch().put(Column.BANS, new byte[] {1}, new byte[4]));
        assertThat(store.approximateSizeBytes()).isEqualTo(5);
        store.write(store.newBatch().delete(Column.BANS, new byte[] {1}).delete(Column.BANS, new byte[] {2}));
        assertThat(store.approximateSizeBytes()).isZero();
    }
}
