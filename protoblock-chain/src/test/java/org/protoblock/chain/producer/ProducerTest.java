package org.protoblock.chain.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.store.BlockMeta;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.testing.MemoryChainState;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;

class ProducerTest {
    private final Devnet devnet = Devnet.create(1);

    private BlockMeta genesisMeta() {
        ChainBlock g = devnet.genesis();
        return new BlockMeta(g.id(), g.parentId().orElseThrow(), 0, 0, g.header().getTimestamp());
    }

    @Test
    void producesAValidSignedChildWithThePrefixThatFits() throws Exception {
        List<ChainTransaction> txs = List.of(devnet.nameTx("a"), devnet.nameTx("b"), devnet.nameTx("c"));
        Producer producer = new Producer(devnet.producer(0), 2, 1 << 20);
        assertThat(producer.select(txs)).containsExactly(txs.get(0), txs.get(1));
        ChainBlock block = producer.produce(genesisMeta(), producer.select(txs), devnet.now());
        assertThat(block.num()).isEqualTo(1);
        assertThat(block.parentId()).contains(devnet.genesis().id());
        MemoryChainState state = devnet.genesisState();
        devnet.validateAndApply(block, devnet.genesis(), state);
    }

    @Test
    void byteCapLimitsTheBlockAndTimeNeverGoesBack() throws Exception {
        List<ChainTransaction> txs = List.of(devnet.nameTx("a"), devnet.nameTx("b"));
        Producer producer = new Producer(devnet.producer(0), 100, 1024 + txs.get(0).serializedSize() + 8);
        assertThat(producer.select(txs)).containsExactly(txs.get(0));
        ChainBlock block = producer.produce(genesisMeta(), List.of(), 0);
        assertThat(block.header().getTimestamp()).isEqualTo(devnet.genesis().header().getTimestamp());
        devnet.validateAndApply(block, devnet.genesis(), devnet.genesisState());
    }
}
