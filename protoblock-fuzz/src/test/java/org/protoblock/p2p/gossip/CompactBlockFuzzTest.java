package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.fuzz.AllocationBudget;
import org.protoblock.fuzz.Fixtures;
import org.protoblock.p2p.wire.proto.NewBlock;

/**
 * A block announcement ({@code NewBlock} → {@link CompactBlock#parse}) and its rebuild
 * ({@link BlockRebuild}) from a pool of known transactions (those of the seed blocks) plus a peer's
 * answer of positions and transactions the fuzzer chooses. Input: the NewBlock bytes, then (from
 * the end) which slots the "mempool" knows and the answer's picks.
 *
 * <p>Properties: parse fails only with {@link ValidationException} (the protobuf parse only with
 * {@link InvalidProtocolBufferException}); a fill never puts a transaction where its short id is
 * not the announced one; a built block has the announced header (hence the announced id) and the
 * announced short ids, in order; allocation stays linear.
 */
class CompactBlockFuzzTest {
    private static final ChainCodec CODEC = Fixtures.codec();
    private static final List<ChainTransaction> POOL = pool();

    @FuzzTest(maxDuration = "10s")
    void announce(FuzzedDataProvider data) throws Exception {
        long known = data.consumeLong();
        int[] picks = new int[16];
        for (int i = 0; i < picks.length; i++) {
            picks[i] = data.consumeInt();
        }
        byte[] message = data.consumeRemainingAsBytes();
        AllocationBudget.check(message.length, 64, () -> rebuild(message, known, picks));
    }

    private static void rebuild(byte[] message, long known, int[] picks) throws Exception {
        CompactBlock compact;
        try {
            compact = CompactBlock.parse(NewBlock.parseFrom(message), CODEC, ChainLimits.DEFAULT);
        } catch (InvalidProtocolBufferException | ValidationException e) {
            return;
        }
        List<ChainTransaction> held = new ArrayList<>();
        for (int i = 0; i < POOL.size(); i++) {
            if ((known >>> (i % 64) & 1) == 1) {
                held.add(POOL.get(i));
            }
        }
        BlockRebuild rebuild = BlockRebuild.start(compact, held);
        List<Integer> indexes = new ArrayList<>();
        List<ChainTransaction> txs = new ArrayList<>();
        for (int i = 0; i + 1 < picks.length; i += 2) {
            indexes.add(picks[i] % Math.max(1, rebuild.size() + 1));
            txs.add(POOL.get(Math.floorMod(picks[i + 1], POOL.size())));
        }
        List<Integer> missingBefore = rebuild.missingIndexes();
        boolean filled = rebuild.fill(indexes, txs);
        if (filled) {
            for (int i = 0; i < indexes.size(); i++) {
                assertThat(compact.keys().of(txs.get(i).id())).isEqualTo(compact.shortId(indexes.get(i)));
            }
        } else {
            assertThat(rebuild.missingIndexes()).isEqualTo(missingBefore);
        }
        Optional<ChainBlock> built = rebuild.build();
        if (built.isPresent()) {
            assertThat(rebuild.missingIndexes()).isEmpty();
            assertThat(built.get().proto().getSignedhead()).isEqualTo(compact.signedHeader());
            assertThat(built.get().id()).isEqualTo(compact.id());
            assertThat(compact.describes(built.get())).isTrue();
            assertThat(CompactBlock.of(built.get(), compact.nonce())).isEqualTo(compact);
        }
    }

    private static List<ChainTransaction> pool() {
        List<ChainTransaction> all = new ArrayList<>(Fixtures.mainnetGenesis().transactions());
        var devnet = Fixtures.devnet();
        all.addAll(devnet.genesis().transactions());
        Fixtures.devnetChildren(devnet).forEach(b -> all.addAll(b.transactions()));
        return List.copyOf(all);
    }
}
