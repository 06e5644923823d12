package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.types.Sha256;
import org.protoblock.chain.types.TxId;

/** Resolution, collisions and the bound of {@link ShortIdTable}, with a weak short id (one byte) so collisions are easy to make. */
class ShortIdTableTest {
    /** The id's first byte: 256 short ids, so any 257 transactions collide somewhere. */
    private static final ToLongFunction<TxId> FIRST_BYTE = id -> id.toBytes()[0] & 0xFF;

    @Test
    void aHeldTransactionResolvesFromItsShortId() {
        ShortIdTable table = new ShortIdTable(FIRST_BYTE, 10);
        TxId a = id(1);
        long sid = table.add(a);
        assertThat(sid).isEqualTo(FIRST_BYTE.applyAsLong(a));
        assertThat(table.resolve(sid)).contains(a);
        assertThat(table.unambiguous(a)).isTrue();
        assertThat(table.resolve(sid + 1 & 0xFF)).as("nothing held there").isEmpty();
    }

    @Test
    void aSharedShortIdResolvesToNothingUntilOneHolderIsForgotten() {
        ShortIdTable table = new ShortIdTable(FIRST_BYTE, 2);
        TxId a = id(1);
        TxId b = collidingWith(a);
        long sid = table.add(a);
        table.add(b);
        assertThat(table.resolve(sid)).isEmpty();
        assertThat(table.unambiguous(a)).isFalse();
        assertThat(table.unambiguous(b)).isFalse();
        TxId c = otherThan(sid);
        table.add(c); // capacity 2: a, the oldest, is forgotten
        assertThat(table.resolve(sid)).contains(b);
        assertThat(table.unambiguous(b)).isTrue();
        assertThat(table.sanityCheck()).isEmpty();
    }

    /** Randomized against a model: whatever is added, a short id resolves exactly when one of the last {@code capacity} transactions holds it. */
    @Test
    void randomAdditionsMatchAModel() {
        for (long seed = 0; seed < 20; seed++) {
            Random random = new Random(seed);
            int capacity = 1 + random.nextInt(300);
            ShortIdTable table = new ShortIdTable(FIRST_BYTE, capacity);
            List<TxId> model = new ArrayList<>();
            for (int step = 0; step < 2_000; step++) {
                TxId id = id(random.nextInt(5_000));
                table.add(id);
                if (!model.contains(id)) {
                    model.add(id);
                    if (model.size() > capacity) {
                        model.remove(0);
                    }
                }
            }
            Map<Long, List<TxId>> holders = new HashMap<>();
            model.forEach(id -> holders.computeIfAbsent(FIRST_BYTE.applyAsLong(id), k -> new ArrayList<>()).add(id));
            for (long sid = 0; sid < 256; sid++) {
                List<TxId> h = holders.getOrDefault(sid, List.of());
                assertThat(table.resolve(sid)).as("seed %d sid %d", seed, sid)
                        .isEqualTo(h.size() == 1 ? java.util.Optional.of(h.get(0)) : java.util.Optional.empty());
            }
            assertThat(table.size()).isEqualTo(model.size());
            assertThat(table.sanityCheck()).isEmpty();
        }
    }

    private static TxId id(int n) {
        return TxId.wrap(Sha256.digest(new byte[] {(byte) n, (byte) (n >> 8)}));
    }

    private static TxId collidingWith(TxId a) {
        for (int n = 2; ; n++) {
            TxId b = id(n);
            if (!b.equals(a) && FIRST_BYTE.applyAsLong(b) == FIRST_BYTE.applyAsLong(a)) {
                return b;
            }
        }
    }

    private static TxId otherThan(long sid) {
        for (int n = 1_000; ; n++) {
            if (FIRST_BYTE.applyAsLong(id(n)) != sid) {
                return id(n);
            }
        }
    }
}
