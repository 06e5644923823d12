package org.protoblock.chain.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;

class OrphanPoolTest {
    private final Devnet devnet = Devnet.create(1);

    @Test
    void boundedByCountOldestDroppedFirst() {
        List<ChainBlock> chain = devnet.emptyChain(devnet.genesis(), 6);
        OrphanPool pool = new OrphanPool(3, 1 << 20);
        for (ChainBlock block : chain.subList(1, 6)) {
            pool.add(block);
        }
        assertThat(pool.size()).isEqualTo(3);
        assertThat(pool.contains(chain.get(1).id())).isFalse();
        assertThat(pool.contains(chain.get(5).id())).isTrue();
        assertThat(pool.takeChildrenOf(chain.get(3).id())).containsExactly(chain.get(4));
        assertThat(pool.size()).isEqualTo(2);
    }

    @Test
    void boundedByBytes() {
        List<ChainBlock> chain = devnet.emptyChain(devnet.genesis(), 4);
        int size = chain.get(1).serializedSize();
        OrphanPool pool = new OrphanPool(100, size * 2L + 1);
        chain.subList(1, 4).forEach(pool::add);
        assertThat(pool.size()).isEqualTo(2);
        assertThat(pool.bytes()).isLessThanOrEqualTo(size * 2L + 1);
        assertThat(pool.missingParents()).containsExactly(chain.get(1).id());
    }
}
