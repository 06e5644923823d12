package org.protoblock.chain.crypto;

import fr.acinq.secp256k1.Secp256k1;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * A secp256k1 secret key (32 bytes, 1 ≤ k &lt; n). Never printed: {@link #toString()} is redacted.
 */
public final class PrivateKey {
    public static final int BYTES = 32;

    private final byte[] secret;

    private PrivateKey(byte[] secret) {
        this.secret = secret;
    }

    public static PrivateKey of(byte[] secret) {
        if (secret.length != BYTES || !Secp256k1.get().secKeyVerify(secret)) {
            throw new IllegalArgumentException("not a valid secp256k1 secret key");
        }
        return new PrivateKey(secret.clone());
    }

    public static PrivateKey generate(SecureRandom random) {
        return fromRandom(random);
    }

    /**
     * From any {@link Random}: for tests with seeded, reproducible keys only. Production keys
     * come from {@link #generate(SecureRandom)}.
     */
    public static PrivateKey fromRandom(Random random) {
        byte[] secret = new byte[BYTES];
        do {
            random.nextBytes(secret);
        } while (!Secp256k1.get().secKeyVerify(secret)); // rejects 0 and ≥ n (odds ~2^-128)
        return new PrivateKey(secret);
    }

    public PublicKey publicKey() {
        return PublicKey.of(Secp256k1.get().pubKeyCompress(Secp256k1.get().pubkeyCreate(secret)));
    }

    public byte[] toBytes() {
        return secret.clone();
    }

    byte[] bytesUnsafe() {
        return secret;
    }

    public String toHex() {
        return HexFormat.of().formatHex(secret);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof PrivateKey k && Arrays.equals(secret, k.secret));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(secret);
    }

    @Override
    public String toString() {
        return "PrivateKey[redacted]";
    }
}
