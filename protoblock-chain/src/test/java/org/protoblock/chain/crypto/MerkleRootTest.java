package org.protoblock.chain.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.Sha256;
import org.protoblock.chain.types.TxId;

class MerkleRootTest {

    @Test
    void emptyIsEmptyStringAndOneIsItsOwnRoot() {
        assertThat(MerkleRoot.of(List.of())).isEmpty();
        String id = Sha256.hashAscii("x").toHex();
        assertThat(MerkleRoot.of(List.of(id))).isEqualTo(id);
    }

    @Test
    void twoAndThreeLeavesByHand() {
        String a = Sha256.hashAscii("a").toHex();
        String b = Sha256.hashAscii("b").toHex();
        String c = Sha256.hashAscii("c").toHex();
        String ab = Sha256.hashAscii(a + b).toHex();
        assertThat(MerkleRoot.of(List.of(a, b))).isEqualTo(ab);
        // odd last node moves up unchanged (not paired with itself)
        assertThat(MerkleRoot.of(List.of(a, b, c))).isEqualTo(Sha256.hashAscii(ab + c).toHex());
    }

    @Test
    void mainnetGenesisRoot() {
        assertThat(MerkleRoot.ofIds(List.of(
                TxId.fromHex("c96ca89a0b9b219836f1d9ae7599120236b446dd96196d190034cb5747ac1ef9"),
                TxId.fromHex("14aaf2551bb80878446ea3cf1638b55ab9092ab9959c82dc76fa6433f230511c"))))
                .isEqualTo("d2501817a50746a32327c348078cac9932b51511917f335726ce730a6c7bedc5");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void matchesRecursiveReferenceForSizesUpTo50(long seed) {
        Random random = new Random(seed);
        for (int n = 0; n <= 50; n++) {
            List<TxId> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[32];
                random.nextBytes(b);
                ids.add(new TxId(Hash256.wrap(b)));
            }
            List<String> hex = ids.stream().map(TxId::toHex).toList();
            assertThat(MerkleRoot.ofIds(ids)).as("n=%d", n).isEqualTo(reference(hex));
        }
    }

    /** One level at a time, written independently: pair (2i, 2i+1), carry an odd last node. */
    private static String reference(List<String> level) {
        if (level.isEmpty()) {
            return "";
        }
        if (level.size() == 1) {
            return level.get(0);
        }
        List<String> up = new ArrayList<>();
        for (int i = 0; i < level.size(); i += 2) {
            up.add(i + 1 < level.size() ? Sha256.hashAscii(level.get(i) + level.get(i + 1)).toHex() : level.get(i));
        }
        return reference(up);
    }
}
