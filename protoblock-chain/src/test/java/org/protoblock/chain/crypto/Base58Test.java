package org.protoblock.chain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class Base58Test {
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    @Test
    void knownVectors() {
        assertThat(Base58.encode(new byte[0])).isEmpty();
        assertThat(Base58.encode(new byte[] {0})).isEqualTo("1");
        assertThat(Base58.encode(new byte[] {0, 0, 1})).isEqualTo("112");
        assertThat(Base58.encode("Hello World!".getBytes(StandardCharsets.US_ASCII))).isEqualTo("2NEpo7TZRRrLZSi2U");
        assertThat(Base58.decode("2NEpo7TZRRrLZSi2U")).isEqualTo("Hello World!".getBytes(StandardCharsets.US_ASCII));
        assertThat(Base58.decode("")).isEmpty();
        assertThat(Base58.decode("111")).isEqualTo(new byte[3]);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void roundTripsRandomBytesWithLeadingZeros(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 300; i++) {
            byte[] data = new byte[random.nextInt(80)];
            random.nextBytes(data);
            int zeros = Math.min(data.length, random.nextInt(4) == 0 ? random.nextInt(6) : 0);
            for (int z = 0; z < zeros; z++) {
                data[z] = 0;
            }
            String text = Base58.encode(data);
            assertThat(text).matches("[" + ALPHABET + "]*");
            assertThat(leadingOnes(text)).isEqualTo(leadingZeros(data));
            assertThat(Base58.decode(text)).isEqualTo(data);
            assertThat(new BigInteger(1, data)).isEqualTo(reference(text.substring(leadingOnes(text))));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void decodeOfRandomAlphabetTextReEncodesIdentically(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 300; i++) {
            StringBuilder text = new StringBuilder();
            int n = random.nextInt(60);
            for (int j = 0; j < n; j++) {
                text.append(ALPHABET.charAt(random.nextInt(58)));
            }
            assertThat(Base58.encode(Base58.decode(text))).isEqualTo(text.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "O", "I", "l", "+", "/", " ", "abc0", "é", "2NEpo7TZ\u0000"})
    void rejectsCharactersOutsideTheAlphabet(String text) {
        assertThat(Base58.tryDecode(text)).isEmpty();
        assertThatThrownBy(() -> Base58.decode(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomInvalidCharactersAnywhereAreRejected() {
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            char[] text = Base58.encode(randomBytes(random, 1 + random.nextInt(40))).toCharArray();
            char bad;
            do {
                bad = (char) random.nextInt(256);
            } while (ALPHABET.indexOf(bad) >= 0);
            text[random.nextInt(text.length)] = bad;
            assertThat(Base58.tryDecode(new String(text))).isEmpty();
        }
    }

    @Test
    void boundsInputLength() {
        String long58 = "2".repeat(Base58.DEFAULT_MAX_CHARS + 1);
        assertThat(Base58.tryDecode(long58)).isEmpty();
        assertThat(Base58.tryDecode(long58, long58.length())).isPresent();
        assertThat(Base58.tryDecode("22222", 4)).isEmpty();
    }

    private static BigInteger reference(String digits) {
        BigInteger value = BigInteger.ZERO;
        for (char c : digits.toCharArray()) {
            value = value.multiply(BigInteger.valueOf(58)).add(BigInteger.valueOf(ALPHABET.indexOf(c)));
        }
        return value;
    }

    private static int leadingOnes(String s) {
        int n = 0;
        while (n < s.length() && s.charAt(n) == '1') {
            n++;
        }
        return n;
    }

    private static int leadingZeros(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] == 0) {
            n++;
        }
        return n;
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
