package org.protoblock.chain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.Sha256;
import org.protoblock.chain.types.ValidationException;

class SignVerifyTest {

    @Test
    void rfc6979VectorAsLibsecp256k1() {
        // key 1, sha256("Satoshi Nakamoto") — the widely published RFC 6979 secp256k1 vector (low-S).
        byte[] one = new byte[32];
        one[31] = 1;
        byte[] digest = Sha256.digest("Satoshi Nakamoto".getBytes(StandardCharsets.US_ASCII));
        byte[] sig = Secp256k1Signer.signCompact(PrivateKey.of(one), digest);
        assertThat(HexFormat.of().formatHex(sig)).isEqualTo(
                "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
                        + "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void signThenVerifyRoundTrips(long seed) throws ValidationException {
        Random random = new Random(seed);
        for (int i = 0; i < 50; i++) {
            KeyPair key = KeyPair.fromRandom(random);
            KeyPair other = KeyPair.fromRandom(random);
            Hash256 digest = Sha256.hash(SignaturesTest.bytes(random, random.nextInt(100)));
            String sig = key.sign(digest.toBytes());
            assertThat(key.sign(digest.toBytes())).as("deterministic nonce").isEqualTo(sig);
            assertThat(SignaturesTest.s(Signatures.decode(sig))).as("low S")
                    .isLessThanOrEqualTo(SignaturesTest.N.shiftRight(1));
            assertThat(Secp256k1Verifier.INSTANCE.verify(key.publicKey(), digest, sig)).isTrue();
            assertThat(Secp256k1Verifier.INSTANCE.verify(other.publicKey(), digest, sig)).isFalse();
            Hash256 otherDigest = Sha256.hash(digest.toBytes());
            assertThat(Secp256k1Verifier.INSTANCE.verify(key.publicKey(), otherDigest, sig)).isFalse();
        }
    }

    @Test
    void publicKeyParsingValidatesThePoint() {
        KeyPair key = KeyPair.fromRandom(new Random(5));
        byte[] good = key.publicKey().toBytes();
        assertThat(PublicKey.tryOf(good)).contains(key.publicKey());
        assertThat(PublicKey.tryFromBase58(key.publicKey().toBase58())).contains(key.publicKey());
        assertThat(PublicKey.tryOf(new byte[32])).isEmpty();
        byte[] badPrefix = good.clone();
        badPrefix[0] = 4;
        assertThat(PublicKey.tryOf(badPrefix)).isEmpty();
        byte[] offCurve = new byte[33];
        offCurve[0] = 2; // x = 0: 7 is not a square mod p
        assertThat(PublicKey.tryOf(offCurve)).isEmpty();
        byte[] xTooBig = new byte[33];
        java.util.Arrays.fill(xTooBig, (byte) 0xff);
        xTooBig[0] = 3;
        assertThat(PublicKey.tryOf(xTooBig)).isEmpty();
        assertThat(PublicKey.tryFromBase58("not base58!")).isEmpty();
        assertThat(PublicKey.tryFromBase58("1" + key.publicKey().toBase58())).isEmpty();
        assertThatThrownBy(() -> PublicKey.fromBase58("zzz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void privateKeyRangeIsChecked() {
        assertThatThrownBy(() -> PrivateKey.of(new byte[32])).isInstanceOf(IllegalArgumentException.class);
        byte[] n = SignaturesTest.N.toByteArray();
        byte[] n32 = java.util.Arrays.copyOfRange(n, n.length - 32, n.length);
        assertThatThrownBy(() -> PrivateKey.of(n32)).isInstanceOf(IllegalArgumentException.class);
        byte[] nMinus1 = BigInteger.ONE.negate().add(SignaturesTest.N).toByteArray();
        assertThat(PrivateKey.of(java.util.Arrays.copyOfRange(nMinus1, nMinus1.length - 32, nMinus1.length))).isNotNull();
        assertThat(PrivateKey.fromRandom(new Random(1)).toString()).doesNotContain(PrivateKey.fromRandom(new Random(1)).toHex());
    }
}
