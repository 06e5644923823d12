package org.protoblock.chain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.acinq.secp256k1.Secp256k1;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.ValidationException;

class SignaturesTest {
    static final BigInteger N = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void littleEndianCompactRoundTrips(long seed) throws ValidationException {
        Random random = new Random(seed);
        for (int i = 0; i < 100; i++) {
            PrivateKey key = PrivateKey.fromRandom(random);
            byte[] digest = bytes(random, 32);
            byte[] compact = Secp256k1Signer.signCompact(key, digest);
            String text = Signatures.encode(compact);
            byte[] raw = Base58.decode(text);
            assertThat(raw).hasSize(64);
            // each half reversed: raw[0] is r's least significant byte
            assertThat(raw[0]).isEqualTo(compact[31]);
            assertThat(raw[32]).isEqualTo(compact[63]);
            assertThat(Signatures.decode(text)).isEqualTo(compact);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {4, 5})
    void highSInCompactFormIsRejected(long seed) throws ValidationException {
        Random random = new Random(seed);
        for (int i = 0; i < 50; i++) {
            byte[] compact = Secp256k1Signer.signCompact(PrivateKey.fromRandom(random), bytes(random, 32));
            byte[] high = withS(compact, N.subtract(s(compact)));
            assertThatThrownBy(() -> Signatures.decode(Signatures.encode(high)))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.HIGH_S_SIGNATURE));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {6, 7})
    void legacyDerDecodesWithTrailingGarbageAndNormalizesHighS(long seed) throws ValidationException {
        Random random = new Random(seed);
        for (int i = 0; i < 100; i++) {
            PrivateKey key = PrivateKey.fromRandom(random);
            byte[] digest = bytes(random, 32);
            byte[] compact = Secp256k1Signer.signCompact(key, digest);
            byte[] source = random.nextBoolean() ? compact : withS(compact, N.subtract(s(compact))); // high-S DER too
            byte[] der = Secp256k1.get().compact2der(source);
            byte[] withGarbage = concat(der, bytes(random, random.nextInt(20)));
            if (withGarbage.length <= 64) {
                continue; // a short DER (tiny r or s) is not a legacy form: < 64 bytes is invalid
            }
            byte[] decoded = Signatures.decode(Base58.encode(withGarbage));
            assertThat(decoded).as("normalized to low S").isEqualTo(compact);
            assertThat(Secp256k1Verifier.verifyCompact(key.publicKey(), digest, decoded)).isTrue();
        }
    }

    @Test
    void knownDerWithLeadingZeroInteger() throws ValidationException {
        // Bitcoin's RFC 6979 vector: key 1, sha256("Satoshi Nakamoto"); r has a high bit, so DER pads it.
        String der = "3045022100934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
                + "02202442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5";
        byte[] decoded = Signatures.decode(Base58.encode(HexFormat.of().parseHex(der + "0102")));
        assertThat(HexFormat.of().formatHex(decoded)).isEqualTo(
                "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
                        + "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5");
    }

    @Test
    void malformedEncodingsAreRejected() {
        assertRule("0OIl", Rule.BAD_SIGNATURE_ENCODING);                       // not base58
        assertRule("", Rule.BAD_SIGNATURE_ENCODING);                           // 0 bytes
        assertRule(Base58.encode(new byte[63]), Rule.BAD_SIGNATURE_ENCODING);  // short
        assertRule("2".repeat(300), Rule.BAD_SIGNATURE_ENCODING);              // too long
        byte[] notDer = new byte[70];
        notDer[0] = 0x31;
        assertRule(Base58.encode(notDer), Rule.BAD_SIGNATURE_ENCODING);        // no SEQUENCE
        byte[] longSeq = new byte[80];
        longSeq[0] = 0x30;
        longSeq[1] = 73;                                                       // DER of 75 bytes > 72
        assertRule(Base58.encode(longSeq), Rule.BAD_SIGNATURE_ENCODING);
        byte[] overflow = new byte[64];
        Arrays.fill(overflow, (byte) 0xff);                                    // r, s ≥ n
        assertRule(Base58.encode(overflow), Rule.BAD_SIGNATURE_ENCODING);
    }

    @Test
    void randomGarbageNeverThrowsAnythingElse() {
        Random random = new Random(99);
        for (int i = 0; i < 2000; i++) {
            byte[] raw = bytes(random, random.nextInt(130));
            if (raw.length > 0 && random.nextBoolean()) {
                raw[0] = 0x30;
            }
            if (raw.length > 1 && random.nextBoolean()) {
                raw[1] = (byte) (raw.length - 2 - random.nextInt(3));
            }
            try {
                Signatures.decode(Base58.encode(raw));
            } catch (ValidationException e) {
                assertThat(e.rule()).isIn(Rule.BAD_SIGNATURE_ENCODING, Rule.HIGH_S_SIGNATURE);
            }
        }
    }

    private static void assertRule(String text, Rule rule) {
        assertThatThrownBy(() -> Signatures.decode(text))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(rule));
    }

    static BigInteger s(byte[] compact) {
        return new BigInteger(1, Arrays.copyOfRange(compact, 32, 64));
    }

    static byte[] withS(byte[] compact, BigInteger s) {
        byte[] out = compact.clone();
        byte[] raw = s.toByteArray();
        Arrays.fill(out, 32, 64, (byte) 0);
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 64 - copy, copy);
        return out;
    }

    static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
