package org.protoblock.chain.crypto;

import fr.acinq.secp256k1.Secp256k1;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A secp256k1 public key as the chain writes it: a 33-byte compressed point, carried as base58
 * ASCII. Parsing checks the length, the 02/03 prefix and that the point is on the curve, so a
 * {@code PublicKey} is always usable for verification. Immutable; equal when the bytes are equal
 * (base58 is a bijection, so the base58 text is equal too).
 */
public final class PublicKey {
    public static final int BYTES = 33;
    /** Longest base58 text of 33 bytes with a non-zero first byte. */
    public static final int MAX_BASE58_CHARS = 46;

    private final byte[] compressed;
    private final String base58;

    private PublicKey(byte[] compressed) {
        this.compressed = compressed;
        this.base58 = Base58.encode(compressed);
    }

    /** Parses a compressed key; empty when it is not a valid compressed secp256k1 point. */
    public static Optional<PublicKey> tryOf(byte[] compressed) {
        if (compressed.length != BYTES || (compressed[0] != 2 && compressed[0] != 3)) {
            return Optional.empty();
        }
        try {
            Secp256k1.get().pubkeyParse(compressed);
        } catch (RuntimeException e) { // Secp256k1Exception: not on the curve
            return Optional.empty();
        }
        return Optional.of(new PublicKey(compressed.clone()));
    }

    public static PublicKey of(byte[] compressed) {
        return tryOf(compressed).orElseThrow(() -> new IllegalArgumentException("not a compressed secp256k1 public key"));
    }

    public static Optional<PublicKey> tryFromBase58(CharSequence text) {
        return Base58.tryDecode(text, MAX_BASE58_CHARS).flatMap(PublicKey::tryOf);
    }

    public static PublicKey fromBase58(CharSequence text) {
        return tryFromBase58(text).orElseThrow(() -> new IllegalArgumentException("not a base58 compressed public key"));
    }

    public static PublicKey fromHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    public byte[] toBytes() {
        return compressed.clone();
    }

    /** The raw array, for the verifier only (never modified). */
    byte[] bytesUnsafe() {
        return compressed;
    }

    public String toBase58() {
        return base58;
    }

    public String toHex() {
        return HexFormat.of().formatHex(compressed);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof PublicKey k && Arrays.equals(compressed, k.compressed));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(compressed);
    }

    @Override
    public String toString() {
        return base58;
    }
}
