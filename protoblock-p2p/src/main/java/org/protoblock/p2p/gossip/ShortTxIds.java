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
 * Short transaction ids under one key, as BIP152's: the low {@value #BYTES} bytes (little-endian) of
 * SipHash-2-4 of the 32-byte id, keyed by the first 16 bytes of a SHA-256:
 * <ul>
 *   <li>a link's ({@link #forLink}, transaction announcements): SHA-256({@code "protoblock/tx-short-ids"}
 *       ‖ lower salt ‖ higher salt), the salts being the two sides' {@code TxRelaySalt} of the link
 *       (64-bit, little-endian, ordered as unsigned numbers);</li>
 *   <li>one block announcement's ({@link #forBlock}, {@code NewBlock}): SHA-256({@code
 *       "protoblock/block-short-ids"} ‖ block id ‖ nonce (64-bit, little-endian)), the nonce drawn
 *       by the announcer for each block (BIP152: SHA-256(header ‖ nonce)).</li>
 * </ul>
 *
 * <p>Rationale: 6 bytes instead of 32 per announced id; salted per link, so a pair of colliding
 * transactions made for one link collides nowhere else, and both salts are random per link and
 * travel inside the Noise channel, so an outsider cannot grind collisions for a link at all. A
 * collision costs one missed announcement on that link (the transaction still arrives through
 * other links, whose keys differ) — the sender avoids those it can see by announcing the full id.
 *
 * <p>Threads: not thread-safe (one SipHash state); owned by the gossip executor.
 */
final class ShortTxIds {
    static final int BYTES = 6;
    private static final long MASK = (1L << (8 * BYTES)) - 1;
    private static final byte[] TAG = "protoblock/tx-short-ids".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BLOCK_TAG = "protoblock/block-short-ids".getBytes(StandardCharsets.US_ASCII);

    private final SipHash sipHash = new SipHash(2, 4);

    private ShortTxIds(byte[] key16) {
        sipHash.init(new KeyParameter(key16));
    }

    /** The short ids of the link whose sides sent {@code saltA} and {@code saltB} (in either order). */
    static ShortTxIds forLink(long saltA, long saltB) {
        long lo = Long.compareUnsigned(saltA, saltB) <= 0 ? saltA : saltB;
        long hi = lo == saltA ? saltB : saltA;
        ByteBuffer preimage = ByteBuffer.allocate(TAG.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        preimage.put(TAG).putLong(lo).putLong(hi);
        return keyedBy(preimage.array());
    }

    /**
     * The short ids of one announcement of block {@code blockId} under {@code nonce}. Rationale: the
     * block id commits to the header, so nobody can grind transactions that collide before the block
     * exists; the nonce makes each announcer's key differ, so a collision that remains costs one link.
     */
    static ShortTxIds forBlock(BlockId blockId, long nonce) {
        ByteBuffer preimage = ByteBuffer.allocate(BLOCK_TAG.length + Hash256.BYTES + 8).order(ByteOrder.LITTLE_ENDIAN);
        preimage.put(BLOCK_TAG).put(blockId.toBytes()).putLong(nonce);
        return keyedBy(preimage.array());
    }

    private static ShortTxIds keyedBy(byte[] preimage) {
        byte[] key = new byte[16];
        System.arraycopy(Sha256.digest(preimage), 0, key, 0, 16);
        return new ShortTxIds(key);
    }

    /** For tests: a SipHash key given as 16 bytes. */
    static ShortTxIds withKey(byte[] key16) {
        return new ShortTxIds(key16.clone());
    }

    /** Full SipHash-2-4 of {@code data} (tests check the reference vectors). */
    long sipHash(byte[] data) {
        sipHash.update(data, 0, data.length);
        return sipHash.doFinal(); // resets the state for the next call
    }

    long of(TxId id) {
        return sipHash(id.toBytes()) & MASK;
    }

    /** {@code count} short ids packed into one byte string, {@value #BYTES} little-endian bytes each. */
    static ByteString pack(long[] ids, int count) {
        byte[] out = new byte[count * BYTES];
        for (int i = 0; i < count; i++) {
            for (int b = 0; b < BYTES; b++) {
                out[i * BYTES + b] = (byte) (ids[i] >>> (8 * b));
            }
        }
        return ByteString.copyFrom(out);
    }

    /** The short ids packed in {@code packed}; empty when its length is not a multiple of {@value #BYTES}. */
    static Optional<long[]> unpack(ByteString packed) {
        if (packed.size() % BYTES != 0) {
            return Optional.empty();
        }
        long[] ids = new long[packed.size() / BYTES];
        for (int i = 0; i < ids.length; i++) {
            long id = 0;
            for (int b = 0; b < BYTES; b++) {
                id |= (packed.byteAt(i * BYTES + b) & 0xFFL) << (8 * b);
            }
            ids[i] = id;
        }
        return Optional.of(ids);
    }
}
