package org.protoblock.chain.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.protoblock.chain.service.ChainChecks;
import org.protoblock.chain.store.ChainStore;
import org.protoblock.chain.store.Column;
import org.protoblock.chain.store.InMemoryChainStore;
import org.protoblock.chain.store.NameEntry;
import org.protoblock.chain.store.RocksDbChainStore;
import org.protoblock.chain.store.StoreConsistency;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.chain.validation.StoreChainState;

/**
 * A 3-block branch overtakes a 2-block branch: the reorganized store must equal one that only ever
 * saw the winning branch, in head, height index, names and transaction index.
 */
class BlockTreeReorgTest {
    @TempDir
    Path dir;

    private final Devnet devnet = Devnet.create(2);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeChecks() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rocksdb", "memory"})
    void longerBranchWinsAndStateMatchesWinnerAlone(String kind) throws Exception {
        ChainBlock genesis = devnet.genesis();
        ChainTransaction alice = devnet.nameTx("alice");
        ChainTransaction erinA = devnet.nameTxBuilder("erin", devnet.newKey()).build();
        ChainBlock a1 = devnet.childOf(genesis, 0, alice, erinA);
        ChainBlock a2 = devnet.childOf(a1, 0, devnet.dataTx("alice"));

        devnet.advance(1);
        ChainTransaction carol = devnet.nameTx("carol");
        ChainTransaction erinB = devnet.nameTxBuilder("erin", devnet.newKey()).build();
        ChainBlock b1 = devnet.childOf(genesis, 1, carol);
        ChainBlock b2 = devnet.childOf(b1, 1, erinB);
        ChainBlock b3 = devnet.childOf(b2, 1, devnet.dataTx("carol"));

        try (ChainStore reorged = open(kind, "reorged"); ChainStore alone = open(kind, "alone")) {
            BlockTree tree = open(reorged);
            assertThat(tree.add(a1).status()).isEqualTo(BlockStatus.CONNECTED);
            assertThat(tree.add(a2).status()).isEqualTo(BlockStatus.CONNECTED);
            assertThat(tree.add(b1).status()).isEqualTo(BlockStatus.SIDE_BRANCH);
            AddOutcome tie = tree.add(b2);
            assertThat(tie.status()).as("equal height: first seen keeps the head").isEqualTo(BlockStatus.SIDE_BRANCH);
            assertThat(tree.head()).isEqualTo(a2.asHead());

            AddOutcome reorg = tree.add(b3);
            assertThat(reorg.status()).isEqualTo(BlockStatus.CONNECTED);
            assertThat(reorg.disconnected()).extracting(ChainBlock::id).containsExactly(a2.id(), a1.id());
            assertThat(reorg.connected()).extracting(ChainBlock::id).containsExactly(b1.id(), b2.id(), b3.id());
            assertThat(tree.head()).isEqualTo(b3.asHead());
            assertThat(tree.sanityCheck()).isEmpty();

            BlockTree winnerOnly = open(alone);
            for (ChainBlock b : List.of(b1, b2, b3)) {
                assertThat(winnerOnly.add(b).status()).isEqualTo(BlockStatus.CONNECTED);
            }
            assertThat(tree.head()).isEqualTo(winnerOnly.head());
            for (Column column : List.of(Column.MAIN_INDEX, Column.TX_INDEX, Column.NAMES, Column.NAME_KEYS, Column.META)) {
                assertThat(contents(reorged, column)).as(column.name()).isEqualTo(contents(alone, column));
            }
            assertThat(reorged.name(NameEntry.fold("erin")).orElseThrow().registeredBy()).isEqualTo(erinB.id());
            assertThat(reorged.name("alice")).isEmpty();
            assertThat(reorged.txLocation(alice.id())).isEmpty();
            assertThat(StoreConsistency.check(reorged)).isEmpty();
            // the losing branch stays stored: a later extension of it can still win
            assertThat(reorged.containsBlock(a2.id())).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rocksdb", "memory"})
    void branchWithInvalidBlockIsAbandonedAndChainStaysOnValidBranch(String kind) throws Exception {
        ChainBlock genesis = devnet.genesis();
        ChainBlock a1 = devnet.childOf(genesis, 0, devnet.nameTx("dora"));
        devnet.advance(1);
        ChainBlock b1 = devnet.childOf(genesis, 1);
        // b2 spends a name that is not registered on its branch: passes header checks, fails on connect
        ChainBlock b2 = devnet.childOf(b1, 1, devnet.dataTx("dora"));
        try (ChainStore store = open(kind, "s")) {
            BlockTree tree = open(store);
            tree.add(a1);
            tree.add(b1);
            AddOutcome outcome = tree.add(b2);
            assertThat(outcome.status()).isEqualTo(BlockStatus.INVALID);
            assertThat(outcome.rejected()).extracting(AddOutcome.Rejection::blockId).containsExactly(b2.id());
            assertThat(tree.head()).isEqualTo(a1.asHead());
            assertThat(store.containsBlock(b2.id())).as("a failed copy is deleted, not kept as invalid").isFalse();
            assertThat(store.name("dora")).isPresent();
            assertThat(tree.sanityCheck()).isEmpty();
            assertThat(StoreConsistency.check(store)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rocksdb", "memory"})
    void orphansConnectWhenTheirParentArrives(String kind) throws Exception {
        List<ChainBlock> blocks = devnet.emptyChain(devnet.genesis(), 5);
        try (ChainStore store = open(kind, "s")) {
            BlockTree tree = open(store);
            for (int i = blocks.size() - 1; i >= 1; i--) {
                assertThat(tree.add(blocks.get(i)).status()).isEqualTo(BlockStatus.ORPHAN);
            }
            assertThat(tree.missingOrphanParents()).containsExactly(blocks.get(0).id());
            AddOutcome outcome = tree.add(blocks.get(0));
            assertThat(outcome.status()).isEqualTo(BlockStatus.CONNECTED);
            assertThat(outcome.connected()).hasSize(5);
            assertThat(tree.head()).isEqualTo(blocks.get(4).asHead());
            assertThat(tree.orphanCount()).isZero();
            assertThat(tree.add(blocks.get(2)).status()).isEqualTo(BlockStatus.DUPLICATE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rocksdb"})
    void reopenRebuildsTheTreeAndKeepsFirstSeenOrder(String kind) throws Exception {
        ChainBlock genesis = devnet.genesis();
        ChainBlock a1 = devnet.childOf(genesis, 0);
        devnet.advance(1);
        ChainBlock b1 = devnet.childOf(genesis, 1);
        try (ChainStore store = open(kind, "s")) {
            BlockTree tree = open(store);
            tree.add(a1);
            tree.add(b1);
        }
        try (ChainStore store = open(kind, "s")) {
            BlockTree tree = open(store);
            assertThat(tree.head()).isEqualTo(a1.asHead());
            assertThat(tree.tips()).hasSize(2);
            ChainBlock b2 = devnet.childOf(b1, 1);
            assertThat(tree.add(b2).isReorg()).isTrue();
            assertThat(tree.head()).isEqualTo(b2.asHead());
        }
    }

    private BlockTree open(ChainStore store) throws ValidationException {
        ChainChecks checks = new ChainChecks(devnet.params(), devnet.clock(), new StoreChainState(store));
        toClose.add(checks);
        return BlockTree.open(store, devnet.genesis(), checks, 64, 1 << 20);
    }

    private ChainStore open(String kind, String name) {
        return kind.equals("memory") ? new InMemoryChainStore() : RocksDbChainStore.open(dir.resolve(name));
    }

    private static Map<String, String> contents(ChainStore store, Column column) {
        Map<String, String> out = new TreeMap<>();
        Function<byte[], String> hex = b -> java.util.HexFormat.of().formatHex(b);
        store.forEach(column, (k, v) -> out.put(hex.apply(k), hex.apply(v)));
        return out;
    }
}
