package org.protoblock.chain.crypto;

import fr.acinq.secp256k1.Secp256k1;
import java.util.Arrays;
import kotlin.Pair;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.ValidationException;

/**
 * The chain's signature text encoding.
 *
 * <p>Rules:
 * <ul>
 *   <li>A signature is base58 text. Decoded to exactly 64 bytes it is r then s, each 32 bytes
 *       <b>little-endian</b>. Its s must be low (≤ n/2): a high s is {@link Rule#HIGH_S_SIGNATURE}.
 *       Rationale: the production signer emits low-S only; accepting both would make signatures
 *       malleable.</li>
 *   <li>Decoded to more than 64 bytes it is a legacy (2015) DER signature: SEQUENCE { INTEGER r,
 *       INTEGER s }, the sequence at most 72 bytes, bytes after it ignored, integers read as unsigned
 *       magnitudes of at most 32 bytes (leading zeros allowed), s normalized to low.</li>
 *   <li>Anything else (bad base58, fewer than 64 bytes, over {@link #MAX_DECODED_BYTES}, r or s not
 *       below the curve order) is {@link Rule#BAD_SIGNATURE_ENCODING}.</li>
 * </ul>
 * Decoded signatures are 64-byte compact big-endian r||s, libsecp256k1's form.
 */
public final class Signatures {
    public static final int COMPACT_BYTES = 64;
    public static final int MAX_DER_BYTES = 72;
    /** Bound on DER plus trailing garbage (Rationale: input from peers; 128 covers any real signature). */
    public static final int MAX_DECODED_BYTES = 128;
    private static final int MAX_CHARS = 176; // base58 of 128 bytes is at most 175 chars

    private Signatures() {
    }

    /** Encodes a 64-byte compact big-endian r||s as the chain's base58 of little-endian halves. */
    public static String encode(byte[] compactBigEndian) {
        if (compactBigEndian.length != COMPACT_BYTES) {
            throw new IllegalArgumentException("compact signature must be 64 bytes");
        }
        return Base58.encode(swapHalves(compactBigEndian));
    }

    /** Decodes signature text to compact big-endian r||s with low s; see the class rules. */
    public static byte[] decode(CharSequence text) throws ValidationException {
        byte[] raw = Base58.tryDecode(text, MAX_CHARS)
                .orElseThrow(() -> new ValidationException(Rule.BAD_SIGNATURE_ENCODING, "not base58 or longer than " + MAX_CHARS + " chars"));
        if (raw.length == COMPACT_BYTES) {
            byte[] compact = swapHalves(raw);
            if (normalize(compact).getSecond()) {
                throw new ValidationException(Rule.HIGH_S_SIGNATURE, "");
            }
            return compact;
        }
        if (raw.length < COMPACT_BYTES || raw.length > MAX_DECODED_BYTES) {
            throw new ValidationException(Rule.BAD_SIGNATURE_ENCODING, "decodes to " + raw.length + " bytes");
        }
        return normalize(parseLaxDer(raw)).getFirst();
    }

    private static Pair<byte[], Boolean> normalize(byte[] compact) throws ValidationException {
        try {
            return Secp256k1.get().signatureNormalize(compact);
        } catch (RuntimeException e) { // r or s not below the curve order
            throw new ValidationException(Rule.BAD_SIGNATURE_ENCODING, "r or s out of range");
        }
    }

    /** Reverses each 32-byte half: little-endian ↔ big-endian. */
    private static byte[] swapHalves(byte[] sig) {
        byte[] out = new byte[COMPACT_BYTES];
        for (int i = 0; i < 32; i++) {
            out[i] = sig[31 - i];
            out[32 + i] = sig[63 - i];
        }
        return out;
    }

    private static byte[] parseLaxDer(byte[] der) throws ValidationException {
        if ((der[0] & 0xff) != 0x30) {
            throw derError("no SEQUENCE tag");
        }
        int seqLength = der[1] & 0xff;
        if (seqLength + 2 > MAX_DER_BYTES) {
            throw derError("sequence longer than " + MAX_DER_BYTES + " bytes");
        }
        int end = 2 + seqLength; // bytes past the sequence are ignored
        if (end > der.length) {
            throw derError("sequence runs past the signature");
        }
        int[] pos = {2};
        byte[] r = readInteger(der, pos, end);
        byte[] s = readInteger(der, pos, end);
        byte[] compact = new byte[COMPACT_BYTES];
        System.arraycopy(r, 0, compact, 32 - r.length, r.length);
        System.arraycopy(s, 0, compact, 64 - s.length, s.length);
        return compact;
    }

    /** Reads INTEGER at pos[0] within [.., end); returns its magnitude without leading zeros (≤ 32 bytes). */
    private static byte[] readInteger(byte[] der, int[] pos, int end) throws ValidationException {
        int p = pos[0];
        if (p + 2 > end || der[p] != 0x02) {
            throw derError("INTEGER expected at " + p);
        }
        int length = der[p + 1] & 0xff;
        int start = p + 2;
        if (length == 0 || length > 0x7f || start + length > end) {
            throw derError("bad INTEGER length at " + p);
        }
        pos[0] = start + length;
        int first = start;
        while (first < start + length && der[first] == 0) {
            first++;
        }
        if (start + length - first > 32) {
            throw derError("INTEGER longer than 32 bytes");
        }
        return Arrays.copyOfRange(der, first, start + length);
    }

    private static ValidationException derError(String detail) {
        return new ValidationException(Rule.BAD_SIGNATURE_ENCODING, "legacy DER: " + detail);
    }
}
