package org.protoblock.chain.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.protoblock.chain.store.BlockMeta;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.Sha256;

class BlockIndexTest {
    private static BlockId id(String s) {
        return new BlockId(Sha256.hashAscii(s));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void randomTreesKeepTheirRulesAndBestTipIsHighestFirstSeen(long seed) {
        Random random = new Random(seed);
        BlockIndex index = new BlockIndex();
        BlockMeta genesis = new BlockMeta(id("g"), BlockId.NONE, 0, 0, 0);
        index.add(genesis, true);
        List<BlockMeta> all = new ArrayList<>(List.of(genesis));
        for (int i = 1; i < 300; i++) {
            BlockMeta parent = all.get(random.nextInt(all.size()));
            BlockMeta child = new BlockMeta(id(seed + "/" + i), parent.id(), parent.num() + 1, i, i);
            assertThat(index.add(child, false)).isTrue();
            all.add(child);
            if (random.nextInt(20) == 0) {
                BlockMeta victim = all.get(1 + random.nextInt(all.size() - 1));
                List<BlockMeta> removed = index.removeSubtree(victim.id());
                all.removeAll(removed);
            }
            assertThat(index.sanityCheck(genesis.id())).isEmpty();
            BlockMeta expected = all.stream()
                    .filter(m -> all.stream().noneMatch(c -> c.parentId().equals(m.id())))
                    .min((a, b) -> a.num() != b.num() ? Integer.compare(b.num(), a.num()) : Long.compare(a.arrivalSeq(), b.arrivalSeq()))
                    .orElseThrow();
            assertThat(index.bestTip()).contains(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5})
    void forkPointAndBranch(int extra) {
        BlockIndex index = new BlockIndex();
        BlockMeta g = new BlockMeta(id("g"), BlockId.NONE, 0, 0, 0);
        index.add(g, true);
        BlockMeta a1 = new BlockMeta(id("a1"), g.id(), 1, 1, 0);
        BlockMeta a2 = new BlockMeta(id("a2"), a1.id(), 2, 2, 0);
        index.add(a1, false);
        index.add(a2, false);
        BlockMeta tip = a1;
        for (int i = 0; i <= extra; i++) {
            BlockMeta next = new BlockMeta(id("b" + i), tip.id(), tip.num() + 1, 10 + i, 0);
            index.add(next, false);
            tip = next;
        }
        assertThat(index.forkPoint(a2.id(), tip.id())).contains(a1);
        assertThat(index.branch(a1.id(), tip.id())).hasSize(extra + 1).last().isEqualTo(tip);
        assertThat(index.ancestorAt(tip.id(), 1)).contains(a1);
    }
}
