package org.protoblock.chain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.store.RocksDbChainStore;
import org.protoblock.chain.store.StoreConsistency;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.tree.BlockStatus;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.TxId;
import org.protoblock.chain.types.ValidationException;

class ChainTest {
    @TempDir
    Path dir;

    private final Devnet devnet = Devnet.create(2);
    private final List<Chain> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(Chain::close);
    }

    private Chain open(String name, ChainConfig config) throws ValidationException {
        Chain chain = Chain.open(config, RocksDbChainStore.open(dir.resolve(name)));
        open.add(chain);
        return chain;
    }

    private ChainConfig config() {
        // the timers must not interfere: production is driven by produceNow()
        return ChainConfig.defaults(devnet.params()).withClock(devnet.clock());
    }

    private ChainConfig producerConfig(int index) {
        return config().withProducer(devnet.producer(index), Duration.ofHours(1));
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void producerMinesTheMempoolAndTheMempoolEmpties() throws Exception {
        Chain chain = open("p", producerConfig(0));
        ChainTransaction alice = devnet.nameTx("alice");
        ChainTransaction data = devnet.dataTx("alice");
        assertThat(await(chain.submitTransaction(alice))).isEqualTo(alice.id());
        assertThat(await(chain.submitTransaction(data))).isEqualTo(data.id());
        assertThat(chain.mempoolSize()).isEqualTo(2);

        AddOutcome outcome = await(chain.produceNow()).orElseThrow();
        assertThat(outcome.status()).isEqualTo(BlockStatus.CONNECTED);
        ChainBlock block = chain.blockAt(1).orElseThrow();
        assertThat(block.txIds()).containsExactly(alice.id(), data.id());
        assertThat(chain.mempoolSize()).isZero();
        assertThat(await(chain.mempoolIds())).isEmpty();
        assertThat(chain.store().name("alice")).isPresent();
        assertThat(await(chain.sanityCheck())).isEmpty();
    }

    @Test
    void invalidTransactionIsRefusedWithItsRule() throws Exception {
        Chain chain = open("v", config());
        devnet.nameTx("nobody-registered-me");
        ChainTransaction unsigned = devnet.dataTx("nobody-registered-me");
        assertThatThrownBy(() -> await(chain.submitTransaction(unsigned)))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.rule()).isEqualTo(Rule.UNKNOWN_NAME));
        ChainTransaction alice = devnet.nameTx("alice");
        await(chain.submitTransaction(alice));
        assertThatThrownBy(() -> await(chain.submitTransaction(alice)))
                .cause().isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.rule()).isEqualTo(Rule.ALREADY_IN_MEMPOOL));
        ChainTransaction aliceAgain = devnet.nameTxBuilder("ALICE", devnet.newKey()).build();
        assertThatThrownBy(() -> await(chain.submitTransaction(aliceAgain)))
                .cause().isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.rule()).isEqualTo(Rule.NAME_TAKEN));
    }

    @Test
    void mempoolIsBoundedByCount() throws Exception {
        Chain chain = open("b", config().withMempoolLimits(2, 1 << 20));
        await(chain.submitTransaction(devnet.nameTx("a")));
        await(chain.submitTransaction(devnet.nameTx("b")));
        assertThatThrownBy(() -> await(chain.submitTransaction(devnet.nameTx("c"))))
                .cause().isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.rule()).isEqualTo(Rule.MEMPOOL_FULL));
    }

    @Test
    void reorgReturnsAbandonedTransactionsToTheMempoolAsIfTheWinnerCameAlone() throws Exception {
        ChainBlock genesis = devnet.genesis();
        ChainTransaction alice = devnet.nameTx("alice");
        ChainTransaction erinA = devnet.nameTxBuilder("erin", devnet.newKey()).build();
        ChainTransaction aliceData = devnet.dataTx("alice");
        ChainBlock a1 = devnet.childOf(genesis, 0, alice, erinA);
        ChainBlock a2 = devnet.childOf(a1, 0, aliceData);
        devnet.advance(1);
        ChainTransaction erinB = devnet.nameTxBuilder("erin", devnet.newKey()).build();
        ChainBlock b1 = devnet.childOf(genesis, 1, devnet.nameTx("carol"));
        ChainBlock b2 = devnet.childOf(b1, 1, erinB);
        ChainBlock b3 = devnet.childOf(b2, 1);
        ChainTransaction pending = devnet.nameTx("frank");

        Chain reorged = open("reorged", config());
        await(reorged.submitTransaction(pending));
        for (ChainBlock b : List.of(a1, a2, b1, b2, b3)) {
            await(reorged.submitBlock(b));
        }
        Chain alone = open("alone", config());
        await(alone.submitBlocks(List.of(b1, b2, b3)));
        for (ChainTransaction tx : List.of(alice, aliceData, pending)) {
            await(alone.submitTransaction(tx));
        }

        assertThat(reorged.head()).isEqualTo(b3.asHead()).isEqualTo(alone.head());
        List<TxId> expected = List.of(alice.id(), aliceData.id(), pending.id());
        assertThat(await(reorged.mempoolIds())).containsExactlyElementsOf(expected);
        assertThat(await(alone.mempoolIds())).containsExactlyElementsOf(expected);
        assertThat(reorged.mempoolContains(erinA.id())).as("conflicts with erin on the winning branch").isFalse();
        assertThat(await(reorged.sanityCheck())).isEmpty();
        assertThat(await(reorged.chainTips())).containsExactly(
                new ChainTip(b3.id(), 3, 0, true), new ChainTip(a2.id(), 2, 2, false));
    }

    @Test
    void abandonedTransactionsGetMinedOnTheWinningBranch() throws Exception {
        ChainBlock genesis = devnet.genesis();
        ChainTransaction alice = devnet.nameTx("alice");
        ChainBlock a1 = devnet.childOf(genesis, 0, alice);
        devnet.advance(1);
        ChainBlock b1 = devnet.childOf(genesis, 1);
        ChainBlock b2 = devnet.childOf(b1, 1);

        Chain producer = open("producer", producerConfig(1));
        await(producer.submitBlocks(List.of(a1, b1, b2)));
        assertThat(producer.mempoolIds().get(5, TimeUnit.SECONDS)).containsExactly(alice.id());
        await(producer.produceNow());
        assertThat(producer.head().num()).isEqualTo(3);
        assertThat(producer.store().txLocation(alice.id()).orElseThrow().num()).isEqualTo(3);
        assertThat(producer.mempoolSize()).isZero();
    }

    @Test
    void mempoolAndChainSurviveRestart() throws Exception {
        ChainTransaction alice = devnet.nameTx("alice");
        ChainTransaction bob = devnet.nameTx("bob");
        Chain chain = open("r", producerConfig(0));
        await(chain.submitTransaction(alice));
        await(chain.produceNow());
        await(chain.submitTransaction(bob));
        await(chain.submitTransaction(devnet.dataTx("alice")));
        List<TxId> before = await(chain.mempoolIds());
        chain.close();
        open.remove(chain);

        RocksDbChainStore store = RocksDbChainStore.open(dir.resolve("r"));
        assertThat(StoreConsistency.check(store)).isEmpty();
        Chain reopened = Chain.open(producerConfig(0), store);
        open.add(reopened);
        assertThat(reopened.head().num()).isEqualTo(1);
        assertThat(await(reopened.mempoolIds())).containsExactlyElementsOf(before);
    }

    @Test
    void locatorAndForkPoint() throws Exception {
        Chain chain = open("l", config());
        List<ChainBlock> blocks = devnet.emptyChain(devnet.genesis(), 40);
        await(chain.submitBlocks(blocks));
        List<org.protoblock.chain.types.BlockId> locator = chain.locator();
        assertThat(locator.get(0)).isEqualTo(blocks.get(39).id());
        assertThat(locator.get(locator.size() - 1)).isEqualTo(devnet.genesis().id());
        assertThat(locator.size()).isLessThan(20);
        assertThat(chain.forkPoint(List.of(blocks.get(20).id(), devnet.genesis().id())).num()).isEqualTo(21);
        assertThat(chain.forkPoint(List.of(devnet.childOf(blocks.get(39)).id())).num()).isZero();
    }
}
