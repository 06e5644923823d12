package org.protoblock.p2p.gossip;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.bouncycastle.crypto.macs.SipHash;
import org.bouncycastle.crypto.params.KeyParameter;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.Sha256;
import org.protoblock.chain.types.TxId;

/**
 * Short transaction ids under one key: the low {@link #bytes()} bytes (little-endian) of SipHash-2-4
 * of the 32-byte id, keyed by the first 16 bytes of a SHA-256:
 * <ul>
 *   <li>a link's ({@link #forLink}, transaction announcements and requests, {@value #LINK_BYTES}
 *       bytes as Erlay's): SHA-256({@code "protoblock/tx-short-ids"} ‖ lower salt ‖ higher salt),
 *       the salts being the two sides' {@code TxRelaySalt} of the link (64-bit, little-endian,
 *       ordered as unsigned numbers);</li>
 *   <li>one block announcement's ({@link #forBlock}, {@code NewBlock}, {@value #BLOCK_BYTES} bytes
 *       as BIP152's): SHA-256({@code "protoblock/block-short-ids"} ‖ block id ‖ nonce (64-bit,
 *       little-endian)), the nonce drawn by the announcer for each block (BIP152: SHA-256(header ‖
 *       nonce)).</li>
 * </ul>
 *
 * <p>Rationale for {@value #LINK_BYTES} bytes on a link: an announcement of one id is then a 6-byte
 * envelope. Both salts are random per link and travel inside the Noise channel, so nobody outside
 * the link can grind collisions for it, and a pair made to collide on one link collides nowhere
 * else. A collision that happens anyway costs at most one missed announcement on one link (the
 * transaction still arrives through the others, whose keys differ) or one redundant fetch; the
 * sender avoids those it can see ({@link ShortIdTable} holds its recent transactions by short id
 * and it announces an ambiguous one by its full id). With a table of N ids a new id collides with
 * probability N / 2^32 (1,536 ids: 3.6e-7). Blocks keep {@value #BLOCK_BYTES} bytes: a collision
 * there costs a whole block download, and a compact block names thousands of transactions.
 *
 * <p>Threads: not thread-safe (one SipHash state); owned by the gossip executor.
 */
final class ShortTxIds {
    /** Bytes of a link's short ids (transaction announcements and requests). */
    static final int LINK_BYTES = 4;
    /** Bytes of a block announcement's short ids (compact blocks). */
    static final int BLOCK_BYTES = 6;
    private static final byte[] TAG = "protoblock/tx-short-ids".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BLOCK_TAG = "protoblock/block-short-ids".getBytes(StandardCharsets.US_ASCII);

    private final SipHash sipHash = new SipHash(2, 4);
    private final int bytes;
    private final long mask;

    private ShortTxIds(byte[] key16, int bytes) {
        if (bytes < 1 || bytes > 7) {
            throw new IllegalArgumentException("short ids of " + bytes + " bytes");
        }
        sipHash.init(new KeyParameter(key16));
        this.bytes = bytes;
        this.mask = (1L << (8 * bytes)) - 1;
    }

    /** The short ids of the link whose sides sent {@code saltA} and {@code saltB} (in either order). */
    static ShortTxIds forLink(long saltA, long saltB) {
        long lo = Long.compareUnsigned(saltA, saltB) <= 0 ? saltA : saltB;
        long hi = lo == saltA ? saltB : saltA;
        ByteBuffer preimage = ByteBuffer.allocate(TAG.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        preimage.put(TAG).putLong(lo).putLong(hi);
        return keyedBy(preimage.array(), LINK_BYTES);
    }

    /**
     * The short ids of one announcement of block {@code blockId} under {@code nonce}. Rationale: the
     * block id commits to the header, so nobody can grind transactions that collide before the block
     * exists; the nonce makes each announcer's key differ, so a collision that remains costs one link.
     */
    static ShortTxIds forBlock(BlockId blockId, long nonce) {
        ByteBuffer preimage = ByteBuffer.allocate(BLOCK_TAG.length + Hash256.BYTES + 8).order(ByteOrder.LITTLE_ENDIAN);
        preimage.put(BLOCK_TAG).put(blockId.toBytes()).putLong(nonce);
        return keyedBy(preimage.array(), BLOCK_BYTES);
    }

    private static ShortTxIds keyedBy(byte[] preimage, int bytes) {
        byte[] key = new byte[16];
        System.arraycopy(Sha256.digest(preimage), 0, key, 0, 16);
        return new ShortTxIds(key, bytes);
    }

    /** For tests: a SipHash key given as 16 bytes, short ids of {@code bytes} bytes. */
    static ShortTxIds withKey(byte[] key16, int bytes) {
        return new ShortTxIds(key16.clone(), bytes);
    }

    /** How many bytes each short id has on the wire. */
    int bytes() {
        return bytes;
    }

    /** Full SipHash-2-4 of {@code data} (tests check the reference vectors). */
    long sipHash(byte[] data) {
        sipHash.update(data, 0, data.length);
        return sipHash.doFinal(); // resets the state for the next call
    }

    long of(TxId id) {
        return sipHash(id.toBytes()) & mask;
    }

    /** {@code count} short ids packed into one byte string, {@code bytes} little-endian bytes each. */
    static ByteString pack(long[] ids, int count, int bytes) {
        byte[] out = new byte[count * bytes];
        for (int i = 0; i < count; i++) {
            for (int b = 0; b < bytes; b++) {
                out[i * bytes + b] = (byte) (ids[i] >>> (8 * b));
            }
        }
        return ByteString.copyFrom(out);
    }

    /** The short ids of {@code bytes} bytes packed in {@code packed}; empty when its length is not a multiple of that. */
    static Optional<long[]> unpack(ByteString packed, int bytes) {
        if (packed.size() % bytes != 0) {
            return Optional.empty();
        }
        long[] ids = new long[packed.size() / bytes];
        for (int i = 0; i < ids.length; i++) {
            long id = 0;
            for (int b = 0; b < bytes; b++) {
                id |= (packed.byteAt(i * bytes + b) & 0xFFL) << (8 * b);
            }
            ids[i] = id;
        }
        return Optional.of(ids);
    }
}
