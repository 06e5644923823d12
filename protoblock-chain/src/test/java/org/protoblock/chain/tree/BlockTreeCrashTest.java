package org.protoblock.chain.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.proto.TransType;
import org.protoblock.chain.service.ChainChecks;
import org.protoblock.chain.store.ChainStore;
import org.protoblock.chain.store.CrashWriterProcess;
import org.protoblock.chain.store.NameEntry;
import org.protoblock.chain.store.RocksDbChainStore;
import org.protoblock.chain.store.StoreConsistency;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.validation.StoreChainState;

/**
 * SIGKILLs a child JVM that applies real blocks (with reorgs) through the {@link BlockTree}, 20
 * times at random points. Each reopen must find a consistent store: the head's block present, the
 * height index matching, no half-applied block, and a name registry that is exactly the NAME
 * registrations of the main chain; the tree must reopen and continue.
 */
class BlockTreeCrashTest {
    private static final long SEED = 77L;
    private static final int ITERATIONS = 20;

    @TempDir
    Path dir;

    @Test
    void killedAtRandomPointsReopensConsistent() throws Exception {
        Random random = new Random(SEED);
        Path db = dir.resolve("db");
        int lastHead = -1;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            int steps = 1 + random.nextInt(12);
            CrashWriterProcess writer = CrashWriterProcess.start(db, SEED, dir.resolve("writer-" + iteration + ".err"),
                    BlockTreeCrashWorkload.class.getName());
            try {
                await("writer " + iteration).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                        .until(() -> writer.committed.get() != CrashWriterProcess.NOT_YET
                                && writer.committed.get() >= writer.opened.get() + steps || !writer.process.isAlive());
                assertThat(writer.process.isAlive()).as("writer alive; stderr: %s", writer.stderr()).isTrue();
            } finally {
                writer.kill();
            }
            Devnet devnet = Devnet.create(2, SEED);
            try (ChainStore store = RocksDbChainStore.open(db);
                 ChainChecks checks = new ChainChecks(devnet.params(), devnet.clock(), new StoreChainState(store))) {
                assertThat(StoreConsistency.check(store)).as("iteration %d", iteration).isEmpty();
                assertThat(registeredNames(store)).as("names = NAME txs of the main chain").isEqualTo(mainChainNames(store));
                BlockTree tree = BlockTree.open(store, devnet.genesis(), checks, 64, 1 << 20);
                assertThat(tree.sanityCheck()).isEmpty();
                lastHead = tree.head().num();
            }
        }
        assertThat(lastHead).isGreaterThan(ITERATIONS);
    }

    private static Map<String, String> registeredNames(ChainStore store) {
        Map<String, String> names = new TreeMap<>();
        store.forEach(org.protoblock.chain.store.Column.NAMES, (k, v) -> names.put(new String(k, java.nio.charset.StandardCharsets.UTF_8), ""));
        names.replaceAll((folded, none) -> store.name(folded).map(NameEntry::publicKey).orElse("?"));
        return names;
    }

    private static Map<String, String> mainChainNames(ChainStore store) {
        Map<String, String> names = new TreeMap<>();
        int head = store.head().orElseThrow().num();
        for (int num = 0; num <= head; num++) {
            ChainBlock block = store.block(store.mainChainId(num).orElseThrow()).orElseThrow();
            for (ChainTransaction tx : block.transactions()) {
                if (tx.proto().getTrans().getType() == TransType.NAME) {
                    var nameTrans = tx.proto().getTrans().getExtension(org.protoblock.chain.proto.FantasybitProto.nameTran);
                    names.put(NameEntry.fold(nameTrans.getFantasyName()), nameTrans.getPublicKey().toStringUtf8());
                }
            }
        }
        return names;
    }
}
