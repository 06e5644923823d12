package org.protoblock.chain.crypto;

import fr.acinq.secp256k1.Secp256k1;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
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

    /**
     * Recently parsed keys by their base58 text. Parsing costs a base58 decode, a curve check and a
     * re-encode, and the same few keys (producers, active names) recur in every block. Bounded,
     * least recently used first out; only valid keys are cached.
     */
    private static final int CACHE_ENTRIES = 16_384;
    private static final Map<String, PublicKey> BY_BASE58 = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PublicKey> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

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
        if (text.length() > MAX_BASE58_CHARS) {
            return Optional.empty();
        }
        String key = text.toString();
        synchronized (BY_BASE58) {
            PublicKey cached = BY_BASE58.get(key);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        Optional<PublicKey> parsed = Base58.tryDecode(key, MAX_BASE58_CHARS).flatMap(PublicKey::tryOf);
        // base58 has one spelling per byte string, so the text is a faithful cache key
        parsed.filter(k -> k.base58.equals(key)).ifPresent(k -> {
            synchronized (BY_BASE58) {
                BY_BASE58.put(key, k);
            }
        });
        return parsed;
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
