package org.protoblock.chain.mempool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.testing.MemoryChainState;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.chain.validation.TransactionValidator;

class MempoolTest {
    private final Devnet devnet = Devnet.create(1);
    private final TransactionValidator validator = devnet.txValidator();
    private final MemoryChainState chainState = devnet.genesisState();

    private Mempool mempool(int maxCount, long maxBytes) {
        return new Mempool(maxCount, maxBytes, (tx, state, time) -> {
            validator.validate(tx, state, time);
            return TransactionValidator.registration(tx, -1);
        }, chainState);
    }

    @Test
    void pendingRegistrationReservesNameAndLetsItsOwnerTransact() throws Exception {
        Mempool mempool = mempool(100, 1 << 20);
        ChainTransaction alice = devnet.nameTx("alice");
        ChainTransaction aliceData = devnet.dataTx("alice");
        mempool.add(alice, devnet.now());
        mempool.add(aliceData, devnet.now());
        assertThatThrownBy(() -> mempool.add(devnet.nameTxBuilder("Alice", devnet.newKey()).build(), devnet.now()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.NAME_TAKEN));
        assertThatThrownBy(() -> mempool.add(alice, devnet.now()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.ALREADY_IN_MEMPOOL));
        assertThat(mempool.transactions()).containsExactly(alice, aliceData);
        assertThat(mempool.sanityCheck()).isEmpty();
    }

    @Test
    void boundedByCountAndBytes() throws Exception {
        Mempool byCount = mempool(2, 1 << 20);
        byCount.add(devnet.nameTx("a"), devnet.now());
        byCount.add(devnet.nameTx("b"), devnet.now());
        assertThatThrownBy(() -> byCount.add(devnet.nameTx("c"), devnet.now()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.MEMPOOL_FULL));

        ChainTransaction first = devnet.nameTx("d");
        Mempool byBytes = mempool(100, first.serializedSize() + 10);
        byBytes.add(first, devnet.now());
        assertThatThrownBy(() -> byBytes.add(devnet.nameTx("e"), devnet.now()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.MEMPOOL_FULL));
        assertThat(byBytes.bytes()).isEqualTo(first.serializedSize());
    }

    @Test
    void chainRegistrationOfTheSameNameDropsThePendingOneAndItsDependants() throws Exception {
        Mempool mempool = mempool(100, 1 << 20);
        ChainTransaction pendingBob = devnet.nameTx("bob");
        ChainTransaction bobData = devnet.dataTx("bob");
        ChainTransaction carol = devnet.nameTx("carol");
        mempool.add(pendingBob, devnet.now());
        mempool.add(bobData, devnet.now());
        mempool.add(carol, devnet.now());

        // the chain includes carol, and a different registration of "bob"
        ChainTransaction chainBob = devnet.nameTxBuilder("bob", devnet.newKey()).build();
        var bobEntry = TransactionValidator.registration(chainBob, 1).orElseThrow();
        var carolEntry = TransactionValidator.registration(carol, 1).orElseThrow();
        chainState.addName(bobEntry).addName(carolEntry);
        List<ChainTransaction> removed = mempool.removeIncluded(List.of(carol, chainBob), List.of(bobEntry, carolEntry), devnet.now());

        assertThat(removed).containsExactlyInAnyOrder(carol, pendingBob, bobData);
        assertThat(mempool.size()).isZero();
        assertThat(mempool.sanityCheck()).isEmpty();
    }

    @Test
    void nonceWindowExpiry() throws Exception {
        Mempool mempool = mempool(100, 1 << 20);
        ChainTransaction alice = devnet.nameTx("alice");
        mempool.add(alice, devnet.now());
        ChainTransaction data = devnet.dataTx("alice");
        mempool.add(data, devnet.now());
        assertThat(mempool.expire(devnet.now() + 3600, 48 * 3600)).isEmpty();
        assertThat(mempool.expire(devnet.now() + 49 * 3600, 48 * 3600)).containsExactly(data);
        assertThat(mempool.transactions()).containsExactly(alice);
    }

    @Test
    void rebuildPutsReturningTransactionsFirstAndDropsInvalidOnes() throws Exception {
        Mempool mempool = mempool(100, 1 << 20);
        ChainTransaction later = devnet.nameTx("later");
        mempool.add(later, devnet.now());
        ChainTransaction returning = devnet.nameTx("returning");
        ChainTransaction conflicting = devnet.nameTxBuilder("later", devnet.newKey()).build();
        List<ChainTransaction> dropped = mempool.rebuild(chainState, List.of(returning, conflicting), devnet.now());
        // the returning registration of "later" came first: the pending one now conflicts
        assertThat(mempool.transactions()).containsExactly(returning, conflicting);
        assertThat(dropped).containsExactly(later);
        assertThat(mempool.sanityCheck()).isEmpty();
    }
}
