package org.protoblock.chain.crypto;

import java.util.Arrays;
import java.util.Optional;

/**
 * Base58 with Bitcoin's alphabet and no checksum, as Protoblock writes keys and signatures.
 *
 * <p>Rules: each leading zero byte is one leading {@code '1'}; the rest is the big-endian number in
 * base 58. The encoding is a bijection, so a decoded value re-encodes to the same text.
 * Decoding rejects characters outside the alphabet and input longer than the caller's bound
 * (Rationale: decoding is quadratic in the length; inputs come from peers).
 */
public final class Base58 {
    /** Enough for any key (33 B → ≤ 45 chars) or signature (≤ 128 B → ≤ 175 chars) the chain carries. */
    public static final int DEFAULT_MAX_CHARS = 200;

    private static final char[] ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
    private static final int[] INDEXES = new int[128];

    static {
        Arrays.fill(INDEXES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            INDEXES[ALPHABET[i]] = i;
        }
    }

    private Base58() {
    }

    public static String encode(byte[] input) {
        int zeros = 0;
        while (zeros < input.length && input[zeros] == 0) {
            zeros++;
        }
        // log(256)/log(58) ≈ 1.366: digits needed for the non-zero part.
        int[] digits = new int[input.length * 138 / 100 + 1];
        int length = 0;
        for (int i = zeros; i < input.length; i++) {
            int carry = input[i] & 0xff;
            for (int j = 0; j < length; j++) {
                carry += digits[j] << 8;
                digits[j] = carry % 58;
                carry /= 58;
            }
            while (carry > 0) {
                digits[length++] = carry % 58;
                carry /= 58;
            }
        }
        StringBuilder out = new StringBuilder(zeros + length);
        out.append("1".repeat(zeros));
        for (int j = length - 1; j >= 0; j--) {
            out.append(ALPHABET[digits[j]]);
        }
        return out.toString();
    }

    /** Decodes, or throws {@link IllegalArgumentException} on a bad character or input over {@code maxChars}. */
    public static byte[] decode(CharSequence text, int maxChars) {
        return tryDecode(text, maxChars).orElseThrow(() -> new IllegalArgumentException(
                "not base58 (or longer than " + maxChars + " chars)"));
    }

    public static byte[] decode(CharSequence text) {
        return decode(text, DEFAULT_MAX_CHARS);
    }

    /** Decodes, or empty on a bad character or input over {@code maxChars}. */
    public static Optional<byte[]> tryDecode(CharSequence text, int maxChars) {
        int n = text.length();
        if (n > maxChars) {
            return Optional.empty();
        }
        int zeros = 0;
        while (zeros < n && text.charAt(zeros) == '1') {
            zeros++;
        }
        // log(58)/log(256) ≈ 0.733: bytes needed for the rest.
        byte[] bytes = new byte[(n - zeros) * 733 / 1000 + 1];
        int length = 0;
        for (int i = zeros; i < n; i++) {
            char c = text.charAt(i);
            int carry = c < 128 ? INDEXES[c] : -1;
            if (carry < 0) {
                return Optional.empty();
            }
            for (int j = 0; j < length; j++) {
                carry += (bytes[j] & 0xff) * 58;
                bytes[j] = (byte) carry;
                carry >>>= 8;
            }
            while (carry > 0) {
                bytes[length++] = (byte) carry;
                carry >>>= 8;
            }
        }
        byte[] out = new byte[zeros + length];
        for (int j = 0; j < length; j++) {
            out[zeros + j] = bytes[length - 1 - j];
        }
        return Optional.of(out);
    }

    public static Optional<byte[]> tryDecode(CharSequence text) {
        return tryDecode(text, DEFAULT_MAX_CHARS);
    }
}
