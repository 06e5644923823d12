package org.protoblock.chain.types;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 32-byte SHA-256 value. Protoblock writes hashes on the chain as 64-character lowercase hex
 * ASCII; this type keeps the raw bytes (compact map keys, big store keys) and renders the hex.
 * Immutable: the array is copied in and never handed out.
 */
public final class Hash256 implements Comparable<Hash256> {
    public static final int BYTES = 32;
    public static final int HEX_CHARS = 64;
    public static final Hash256 ZERO = new Hash256(new byte[BYTES]);

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;
    private final int hashCode;
    /** Computed on first use: ids are compared and printed as hex over and over. Benign race. */
    private String hex;

    private Hash256(byte[] bytes) {
        this.bytes = bytes;
        this.hashCode = Arrays.hashCode(bytes);
    }

    public static Hash256 wrap(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("hash must be 32 bytes, got " + bytes.length);
        }
        return new Hash256(bytes.clone());
    }

    /** Parses 64 lowercase hex characters; anything else (uppercase included) is rejected. */
    public static Hash256 fromHex(CharSequence hex) {
        if (!isCanonicalHex(hex)) {
            throw new IllegalArgumentException("not a 64-char lowercase hex hash: " + abbreviate(hex));
        }
        return new Hash256(HEX.parseHex(hex));
    }

    public static boolean isCanonicalHex(CharSequence hex) {
        if (hex == null || hex.length() != HEX_CHARS) {
            return false;
        }
        for (int i = 0; i < HEX_CHARS; i++) {
            char c = hex.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public String toHex() {
        String h = hex;
        if (h == null) {
            h = HEX.formatHex(bytes);
            hex = h;
        }
        return h;
    }

    /** First 8 hex characters, for logs. */
    public String shortHex() {
        return toHex().substring(0, 8);
    }

    @Override
    public int compareTo(Hash256 other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Hash256 h && Arrays.equals(bytes, h.bytes));
    }

    @Override
    public int hashCode() {
        return hashCode;
    }

    @Override
    public String toString() {
        return toHex();
    }

    private static String abbreviate(CharSequence s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 80 ? s.toString() : s.subSequence(0, 80) + "…(" + s.length() + " chars)";
    }
}
