package org.protoblock.chain.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.store.RocksDbChainStore;
import org.protoblock.chain.store.StoreConsistency;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.tree.BlockStatus;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.ValidationException;

/**
 * Seeded random corruption of real blocks (bit flips, truncation, insertion, splices) fed through
 * the codec and the chain: every copy is refused with a rule, nothing escapes as an exception, the
 * store stays consistent, and the genuine blocks still connect afterwards (a corrupt copy with the
 * same id, e.g. a bad signature, must not poison the id).
 */
class ChainBadInputTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void corruptedBlocksAreRefusedAndGenuineOnesStillConnect(long seed) throws Exception {
        Random random = new Random(seed);
        Devnet devnet = Devnet.create(1, seed);
        ChainCodec codec = new ChainCodec(devnet.params().limits());
        ChainBlock b1 = devnet.childOf(devnet.genesis(), devnet.nameTx("alice"), devnet.nameTx("bob"));
        ChainBlock b2 = devnet.childOf(b1, devnet.dataTx("alice"), devnet.dataTx("bob"), devnet.nameTx("carol"));
        Map<Rule, Integer> rules = new EnumMap<>(Rule.class);
        Map<BlockStatus, Integer> statuses = new EnumMap<>(BlockStatus.class);

        try (Chain chain = Chain.open(ChainConfig.defaults(devnet.params()).withClock(devnet.clock()),
                RocksDbChainStore.open(dir.resolve("db")))) {
            for (ChainBlock genuine : List.of(b1, b2)) {
                byte[] bytes = genuine.proto().toByteArray();
                for (int i = 0; i < 400; i++) {
                    byte[] corrupt = corrupt(bytes, random);
                    ChainBlock parsed;
                    try {
                        parsed = codec.parseBlock(corrupt);
                    } catch (ValidationException e) {
                        rules.merge(e.rule(), 1, Integer::sum);
                        continue;
                    }
                    AddOutcome outcome = chain.submitBlock(parsed).get(30, TimeUnit.SECONDS);
                    statuses.merge(outcome.status(), 1, Integer::sum);
                    outcome.error().ifPresent(e -> rules.merge(e.rule(), 1, Integer::sum));
                    if (parsed.id().equals(genuine.id())) {
                        // Same header: either refused, or a still-valid variant (e.g. unknown fields
                        // added outside what ids cover), which is then the block itself.
                        assertThat(outcome.status()).isIn(BlockStatus.INVALID, BlockStatus.CONNECTED, BlockStatus.DUPLICATE);
                    } else {
                        assertThat(outcome.status()).as("corrupt copy %d of %s", i, genuine)
                                .isIn(BlockStatus.INVALID, BlockStatus.ORPHAN);
                    }
                }
                assertThat(chain.submitBlock(genuine).get(30, TimeUnit.SECONDS).status())
                        .isIn(BlockStatus.CONNECTED, BlockStatus.DUPLICATE);
                assertThat(chain.head()).isEqualTo(genuine.asHead());
            }
            assertThat(chain.head()).isEqualTo(b2.asHead());
            assertThat(chain.sanityCheck().get(30, TimeUnit.SECONDS)).isEmpty();
            assertThat(StoreConsistency.check(chain.store())).isEmpty();
        }
        assertThat(rules).containsKeys(Rule.MALFORMED_ENCODING, Rule.BAD_TRANSACTION_ROOT);
    }

    @org.junit.jupiter.api.Test
    void aSameIdCopyWithAlteredSignatureCannotCensorTheRealBlock() throws Exception {
        Devnet devnet = Devnet.create(1);
        ChainTransaction bob = devnet.nameTx("bob");
        ChainBlock genuine = devnet.childOf(devnet.genesis(), devnet.nameTx("alice"), bob);
        ChainTransaction forged = ChainTransaction.of(bob.proto().toBuilder()
                .setSig(devnet.nameTx("mallory").proto().getSig()).build());
        ChainBlock copy = ChainBlock.of(genuine.proto().toBuilder().setSignedTransactions(1, forged.proto()).build());
        assertThat(copy.id()).isEqualTo(genuine.id());
        try (Chain chain = Chain.open(ChainConfig.defaults(devnet.params()).withClock(devnet.clock()),
                RocksDbChainStore.open(dir.resolve("db")))) {
            AddOutcome refused = chain.submitBlock(copy).get(30, TimeUnit.SECONDS);
            assertThat(refused.status()).isEqualTo(BlockStatus.INVALID);
            assertThat(refused.error().orElseThrow().rule()).isEqualTo(Rule.BAD_TX_SIGNATURE);
            assertThat(chain.submitBlock(genuine).get(30, TimeUnit.SECONDS).status()).isEqualTo(BlockStatus.CONNECTED);
            assertThat(chain.head()).isEqualTo(genuine.asHead());
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 8})
    void corruptedTransactionsAreRefusedWithARule(long seed) throws Exception {
        Random random = new Random(seed);
        Devnet devnet = Devnet.create(1, seed);
        ChainCodec codec = new ChainCodec(devnet.params().limits());
        ChainTransaction alice = devnet.nameTx("alice");
        byte[] bytes = alice.proto().toByteArray();
        try (Chain chain = Chain.open(ChainConfig.defaults(devnet.params()).withClock(devnet.clock()),
                RocksDbChainStore.open(dir.resolve("db")))) {
            for (int i = 0; i < 400; i++) {
                byte[] corrupt = corrupt(bytes, random);
                try {
                    ChainTransaction parsed = codec.parseTransaction(corrupt);
                    chain.submitTransaction(parsed).get(30, TimeUnit.SECONDS);
                    // a corruption may leave a valid but different transaction (e.g. another name)
                    assertThat(parsed.id()).isNotEqualTo(alice.id());
                } catch (ValidationException e) {
                    assertThat(e.rule()).isNotNull();
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(ValidationException.class);
                }
            }
            assertThat(chain.submitTransaction(alice).handle((id, err) -> err == null || err.getCause() instanceof ValidationException)
                    .get(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    static byte[] corrupt(byte[] bytes, Random random) {
        byte[] out;
        switch (random.nextInt(4)) {
            case 0 -> {
                out = bytes.clone();
                int flips = 1 + random.nextInt(3);
                for (int f = 0; f < flips; f++) {
                    out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> out = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 2 -> {
                int at = random.nextInt(bytes.length);
                byte[] junk = new byte[1 + random.nextInt(8)];
                random.nextBytes(junk);
                out = new byte[bytes.length + junk.length];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(junk, 0, out, at, junk.length);
                System.arraycopy(bytes, at, out, at + junk.length, bytes.length - at);
            }
            default -> {
                out = bytes.clone();
                int at = random.nextInt(out.length);
                out[at] = (byte) random.nextInt(256);
            }
        }
        return out;
    }
}
