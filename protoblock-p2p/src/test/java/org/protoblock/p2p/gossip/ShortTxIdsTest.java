package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.Sha256;
import org.protoblock.chain.types.TxId;

/** SipHash-2-4 against the reference vectors, the per-link and per-block keys and widths, and the packed wire form of short ids. */
class ShortTxIdsTest {
    private static final HexFormat HEX = HexFormat.of();

    /** The SipHash paper's key 00 01 … 0f and messages 00 01 … (n−1); outputs as little-endian 64-bit words (vectors.h). */
    @Test
    void sipHash24MatchesTheReferenceVectors() {
        ShortTxIds ids = ShortTxIds.withKey(counting(16), ShortTxIds.LINK_BYTES);
        assertThat(ids.sipHash(counting(0))).isEqualTo(0x726fdb47dd0e0e31L);
        assertThat(ids.sipHash(counting(1))).isEqualTo(0x74f839c593dc67fdL);
        assertThat(ids.sipHash(counting(15))).isEqualTo(0xa129ca6149be45e5L);
        assertThat(ids.sipHash(counting(63))).isEqualTo(0x958a324ceb064572L);
        assertThat(ids.sipHash(counting(15))).as("state reset between calls").isEqualTo(0xa129ca6149be45e5L);
    }

    @Test
    void aShortIdIsTheLowBytesOfSipHashOfTheId() {
        TxId id = TxId.wrap(counting(32));
        ShortTxIds link = ShortTxIds.withKey(counting(16), ShortTxIds.LINK_BYTES);
        ShortTxIds block = ShortTxIds.withKey(counting(16), ShortTxIds.BLOCK_BYTES);
        long full = link.sipHash(counting(32));
        assertThat(link.of(id)).isEqualTo(full & 0xFFFF_FFFFL);
        assertThat(block.of(id)).isEqualTo(full & 0xFFFF_FFFF_FFFFL);
        assertThat(link.bytes()).isEqualTo(4);
        assertThat(block.bytes()).isEqualTo(6);
    }

    @Test
    void linkIdsAreFourBytesAndBlockIdsSix() {
        BlockId block = BlockId.wrap(Sha256.digest(new byte[] {2}));
        assertThat(ShortTxIds.forLink(1, 2).bytes()).isEqualTo(ShortTxIds.LINK_BYTES).isEqualTo(4);
        assertThat(ShortTxIds.forBlock(block, 3).bytes()).isEqualTo(ShortTxIds.BLOCK_BYTES).isEqualTo(6);
        ShortTxIds link = ShortTxIds.forLink(1, 2);
        for (int i = 0; i < 100; i++) {
            assertThat(link.of(TxId.wrap(Sha256.digest(new byte[] {(byte) i})))).isBetween(0L, 0xFFFF_FFFFL);
        }
    }

    @Test
    void bothSidesOfALinkDeriveTheSameIdsAndOtherLinksDiffer() {
        TxId id = TxId.wrap(Sha256.digest(new byte[] {1}));
        long a = 0x8000_0000_0000_0001L; // above Long.MAX as unsigned: ordering is unsigned
        long b = 42;
        assertThat(ShortTxIds.forLink(a, b).of(id)).isEqualTo(ShortTxIds.forLink(b, a).of(id));
        assertThat(ShortTxIds.forLink(a, b).of(id)).isNotEqualTo(ShortTxIds.forLink(a, b + 1).of(id));
        // Key = SHA-256(tag ‖ 42 LE ‖ a LE)[0..16): the first salt in the preimage is the unsigned-lower one.
        byte[] preimage = ByteString.copyFromUtf8("protoblock/tx-short-ids")
                .concat(ByteString.copyFrom(HEX.parseHex("2a00000000000000" + "0100000000000080"))).toByteArray();
        byte[] key = java.util.Arrays.copyOf(Sha256.digest(preimage), 16);
        assertThat(ShortTxIds.forLink(a, b).of(id)).isEqualTo(ShortTxIds.withKey(key, ShortTxIds.LINK_BYTES).of(id));
    }

    @Test
    void aBlockAnnouncementsKeyIsDerivedFromTheBlockIdAndTheNonce() {
        TxId id = TxId.wrap(Sha256.digest(new byte[] {1}));
        BlockId block = BlockId.wrap(Sha256.digest(new byte[] {2}));
        long nonce = 0x0807_0605_0403_0201L;
        // Key = SHA-256("protoblock/block-short-ids" ‖ block id ‖ nonce LE)[0..16).
        byte[] preimage = ByteString.copyFromUtf8("protoblock/block-short-ids").concat(ByteString.copyFrom(block.toBytes()))
                .concat(ByteString.copyFrom(HEX.parseHex("0102030405060708"))).toByteArray();
        byte[] key = java.util.Arrays.copyOf(Sha256.digest(preimage), 16);
        assertThat(ShortTxIds.forBlock(block, nonce).of(id)).isEqualTo(ShortTxIds.withKey(key, ShortTxIds.BLOCK_BYTES).of(id));
        assertThat(ShortTxIds.forBlock(block, nonce + 1).of(id)).isNotEqualTo(ShortTxIds.forBlock(block, nonce).of(id));
    }

    @Test
    void packedIdsRoundTripAndAPartialIdIsRejected() {
        Random random = new Random(5);
        for (int width : new int[] {ShortTxIds.LINK_BYTES, ShortTxIds.BLOCK_BYTES}) {
            long[] ids = new long[50];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = random.nextLong() & ((1L << (8 * width)) - 1);
            }
            ByteString packed = ShortTxIds.pack(ids, ids.length, width);
            assertThat(packed.size()).isEqualTo(50 * width);
            assertThat(ShortTxIds.unpack(packed, width)).hasValueSatisfying(back -> assertThat(back).containsExactly(ids));
            assertThat(ShortTxIds.unpack(ByteString.EMPTY, width)).hasValueSatisfying(back -> assertThat(back).isEmpty());
            for (int cut = 1; cut < width; cut++) {
                assertThat(ShortTxIds.unpack(packed.substring(cut), width)).as("%d bytes each, %d cut", width, cut).isEmpty();
            }
        }
        assertThat(ShortTxIds.pack(new long[] {0x0605_0403_0201L}, 1, 6).toByteArray()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(ShortTxIds.pack(new long[] {0x0403_0201L}, 1, 4).toByteArray()).containsExactly(1, 2, 3, 4);
        assertThat(ShortTxIds.pack(new long[] {0x0403_0201L, 0x0807_0605L}, 1, 4).size()).as("only count ids").isEqualTo(4);
    }

    private static byte[] counting(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }
}
