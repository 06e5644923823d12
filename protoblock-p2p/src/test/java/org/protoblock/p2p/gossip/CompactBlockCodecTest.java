package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.TxId;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.p2p.wire.proto.NewBlock;

/**
 * Property tests of the short-id compact block ({@link CompactBlock}, {@link BlockRebuild}) with
 * seeded randomness: random blocks drawn from a pool of transactions, random nonces, random sets of
 * held transactions; collisions forced with a tiny short id space.
 */
class CompactBlockCodecTest {
    private static final int ROUNDS = 200;
    private final Devnet devnet = Devnet.create(1);
    private final ChainLimits limits = devnet.params().limits();
    private final ChainCodec codec = new ChainCodec(limits);
    private final List<ChainTransaction> pool = pool(devnet, 40);

    private static List<ChainTransaction> pool(Devnet devnet, int n) {
        List<ChainTransaction> txs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            txs.add(devnet.nameTx("name" + i));
        }
        return List.copyOf(txs);
    }

    /** A block of 0..pool transactions of the pool in random order; {@code rest} gets the others. */
    private ChainBlock randomBlock(Random random, List<ChainTransaction> rest) {
        List<ChainTransaction> shuffled = new ArrayList<>(pool);
        Collections.shuffle(shuffled, random);
        int n = random.nextInt(pool.size() + 1);
        rest.addAll(shuffled.subList(n, shuffled.size()));
        return devnet.childOf(devnet.genesis(), 0, shuffled.subList(0, n));
    }

    private static List<ChainTransaction> randomSubset(Random random, List<ChainTransaction> txs, double p) {
        List<ChainTransaction> out = new ArrayList<>();
        txs.forEach(tx -> {
            if (random.nextDouble() < p) {
                out.add(tx);
            }
        });
        Collections.shuffle(out, random);
        return out;
    }

    @Test
    void roundTripRebuildAndCompletionGiveTheAnnouncedBlock() throws Exception {
        Random random = new Random(14);
        for (int round = 0; round < ROUNDS; round++) {
            List<ChainTransaction> outside = new ArrayList<>();
            ChainBlock block = randomBlock(random, outside);
            long nonce = random.nextLong();
            NewBlock message = CompactBlock.of(block, nonce).toMessage();
            assertThat(message.getShortIds().size()).isEqualTo(block.txIds().size() * ShortTxIds.BLOCK_BYTES);
            CompactBlock compact = CompactBlock.parse(message, codec, limits);
            assertThat(compact).isEqualTo(CompactBlock.of(block, nonce));
            assertThat(CompactBlock.announcedId(message)).hasValue(block.id());
            assertThat(compact.describes(block)).isTrue();

            List<ChainTransaction> held = randomSubset(random, block.transactions(), 0.7);
            held.addAll(randomSubset(random, outside, 0.5)); // held, not in the block
            Set<TxId> heldIds = new HashSet<>();
            held.forEach(tx -> heldIds.add(tx.id()));
            BlockRebuild rebuild = BlockRebuild.start(compact, held);
            List<Integer> expectedMissing = new ArrayList<>();
            for (int i = 0; i < block.txIds().size(); i++) {
                if (!heldIds.contains(block.txIds().get(i))) {
                    expectedMissing.add(i);
                }
            }
            List<Integer> missing = rebuild.missingIndexes();
            assertThat(missing).as("round %d", round).isEqualTo(expectedMissing);
            List<ChainTransaction> answer = missing.stream().map(block.transactions()::get).toList();
            assertThat(rebuild.fill(missing, answer)).isTrue();
            assertThat(rebuild.build()).as("round %d", round).hasValueSatisfying(b -> assertThat(b.proto()).isEqualTo(block.proto()));
        }
    }

    /**
     * With 3-bit short ids collisions are the rule: a slot is never filled by a transaction with
     * another short id; a slot whose short id several held transactions share stays missing; a
     * wrong fill (the held transaction that collides, the block's one not held) makes the root
     * check fail, never builds another block; without such a collision the block always rebuilds.
     */
    @Test
    void forcedCollisionsFallBackToTheWholeBlockAndNeverBuildAnotherBlock() throws Exception {
        Random random = new Random(15);
        int fallbacks = 0;
        int ambiguous = 0;
        for (int round = 0; round < ROUNDS; round++) {
            List<ChainTransaction> outside = new ArrayList<>();
            ChainBlock block = randomBlock(random, outside);
            long nonce = random.nextLong();
            ShortTxIds keys = ShortTxIds.forBlock(block.id(), nonce);
            ToLongFunction<TxId> tiny = id -> keys.of(id) & 0x7;
            long[] announced = block.txIds().stream().mapToLong(tiny).toArray();
            CompactBlock compact = new CompactBlock(block.proto().getSignedhead(), block.id(), block.parentId(), nonce, announced);

            List<ChainTransaction> held = randomSubset(random, block.transactions(), 0.8);
            held.addAll(randomSubset(random, outside, 0.2));
            BlockRebuild rebuild = BlockRebuild.start(compact, held, tiny);
            List<Integer> missing = rebuild.missingIndexes();
            List<ChainTransaction> answer = missing.stream().map(block.transactions()::get).toList();
            assertThat(rebuild.fill(missing, answer)).isTrue();
            // A transaction with another short id is refused at any position.
            for (int i = 0; i < announced.length; i++) {
                for (ChainTransaction tx : pool) {
                    if (tiny.applyAsLong(tx.id()) != announced[i]) {
                        assertThat(rebuild.fill(List.of(i), List.of(tx))).isFalse();
                    }
                }
            }
            boolean collision = false;
            Set<Long> blockIds = new HashSet<>();
            for (long sid : announced) {
                collision |= !blockIds.add(sid);
            }
            for (ChainTransaction tx : held) {
                collision |= !block.txIds().contains(tx.id()) && blockIds.contains(tiny.applyAsLong(tx.id()));
            }
            var built = rebuild.build();
            if (built.isPresent()) {
                assertThat(built.get().proto()).as("round %d", round).isEqualTo(block.proto());
            } else {
                assertThat(collision).as("round %d: no collision, yet no block", round).isTrue();
                fallbacks++;
            }
            if (collision && missing.size() > block.txIds().size() - held.stream().filter(tx -> block.txIds().contains(tx.id())).count()) {
                ambiguous++;
            }
        }
        assertThat(fallbacks).as("rounds that fell back to the whole block").isPositive();
        assertThat(ambiguous).as("rounds where a shared short id left a held slot missing").isPositive();
    }

    @Test
    void boundsAreExact() throws Exception {
        ChainBlock block = devnet.childOf(devnet.genesis(), 0, pool.subList(0, 3));
        NewBlock honest = CompactBlock.of(block, 1).toMessage();
        int max = limits.maxTransactionsPerBlock();
        NewBlock atMax = honest.toBuilder().setShortIds(ByteString.copyFrom(new byte[max * ShortTxIds.BLOCK_BYTES])).build();
        assertThat(CompactBlock.parse(atMax, codec, limits).size()).isEqualTo(max);
        NewBlock overMax = honest.toBuilder().setShortIds(ByteString.copyFrom(new byte[(max + 1) * ShortTxIds.BLOCK_BYTES])).build();
        assertThatThrownBy(() -> CompactBlock.parse(overMax, codec, limits))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.TOO_MANY_TRANSACTIONS));
        for (int extra = 1; extra < ShortTxIds.BLOCK_BYTES; extra++) {
            NewBlock ragged = honest.toBuilder().setShortIds(honest.getShortIds().concat(ByteString.copyFrom(new byte[extra]))).build();
            assertThatThrownBy(() -> CompactBlock.parse(ragged, codec, limits))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.MALFORMED_ENCODING));
        }
        // More ids than the header's block has: decodes, rebuilds to no block (root), convicted by describes.
        CompactBlock padded = CompactBlock.parse(honest.toBuilder()
                .setShortIds(honest.getShortIds().concat(honest.getShortIds().substring(0, ShortTxIds.BLOCK_BYTES))).build(), codec, limits);
        BlockRebuild rebuild = BlockRebuild.start(padded, pool);
        assertThat(rebuild.missingIndexes()).as("a short id two slots share fills neither").containsExactly(0, 3);
        assertThat(padded.describes(block)).isFalse();
    }

    @Test
    void eachAnnouncementHasItsOwnKey() {
        ChainBlock block = devnet.childOf(devnet.genesis(), 0, pool.subList(0, 20));
        List<ChainTransaction> reversed = new ArrayList<>(pool.subList(0, 20));
        Collections.reverse(reversed);
        ChainBlock sibling = devnet.childOf(devnet.genesis(), 0, reversed);
        assertThat(CompactBlock.of(block, 1).shortIds()).isNotEqualTo(CompactBlock.of(block, 2).shortIds());
        long[] a = CompactBlock.of(block, 1).shortIds();
        long[] b = CompactBlock.of(sibling, 1).shortIds();
        assertThat(a[0]).as("same transaction, other block id").isNotEqualTo(b[19]);
    }
}
