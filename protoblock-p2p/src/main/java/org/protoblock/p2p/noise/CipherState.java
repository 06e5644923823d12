package org.protoblock.p2p.noise;

import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A Noise CipherState (spec rev. 34, section 5.1) for ChaChaPoly: a key k, or none, and the
 * 64-bit nonce n, which counts the messages and goes into the 96-bit AEAD nonce as 32 zero bits
 * followed by n little-endian. Without a key, encryption is the identity (early handshake).
 * n = 2^64-1 is reserved, so the cipher refuses to go on before it would reuse a nonce.
 *
 * <p>The AEAD is BouncyCastle's ChaCha20-Poly1305 (lightweight API). NoiseBenchmark measured the
 * JDK's "ChaCha20-Poly1305" Cipher about 7 % cheaper on 64 KiB messages (equal on 1 KiB), but the
 * JDK 17 cipher takes its key through SecretKeySpec and getEncoded() copies that cannot be zeroed;
 * BouncyCastle's key state is ours to overwrite in {@link #destroy()}.
 *
 * <p>Threads: not thread-safe; owned by the handshake's or the transport direction's owner.
 */
final class CipherState {
    static final int TAG_BYTES = 16;
    private static final int TAG_BITS = TAG_BYTES * 8;
    private static final byte[] NO_AD = new byte[0];

    private final ChaCha20Poly1305 aead = new ChaCha20Poly1305();
    private final byte[] nonceBytes = new byte[12];
    private KeyParameter key;
    private long nonce;

    /** InitializeKey(k): a new key, nonce 0. Copies {@code k}. */
    void initializeKey(byte[] k) {
        destroyKey();
        key = new KeyParameter(k, 0, Curve25519.KEY_BYTES);
        nonce = 0;
    }

    boolean hasKey() {
        return key != null;
    }

    /** SetNonce(n) of the spec (for out-of-order transports; we use it only in tests). */
    void setNonce(long n) {
        nonce = n;
    }

    /** Bytes of ciphertext for {@code plaintextLength} bytes of plaintext. */
    int ciphertextLength(int plaintextLength) {
        return hasKey() ? plaintextLength + TAG_BYTES : plaintextLength;
    }

    /** EncryptWithAd: writes {@code ciphertextLength(len)} bytes at {@code out[outOff]}. */
    int encryptWithAd(byte[] ad, byte[] in, int off, int len, byte[] out, int outOff) {
        if (!hasKey()) {
            System.arraycopy(in, off, out, outOff, len);
            return len;
        }
        if (out.length - outOff < len + TAG_BYTES) {
            throw new IllegalArgumentException("output buffer too small for " + len + " bytes and a tag");
        }
        aead.init(true, parameters(ad));
        nonce++;
        int n = aead.processBytes(in, off, len, out, outOff);
        try {
            return n + aead.doFinal(out, outOff + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("encryption cannot fail a tag check", e);
        }
    }

    /**
     * DecryptWithAd: writes {@code len - TAG_BYTES} bytes of plaintext at {@code out[outOff]}
     * (which may be {@code in[off]}: in-place decryption). On a bad tag nothing counts: the nonce
     * stays, as the spec says.
     */
    int decryptWithAd(byte[] ad, byte[] in, int off, int len, byte[] out, int outOff) throws NoiseException {
        if (!hasKey()) {
            System.arraycopy(in, off, out, outOff, len);
            return len;
        }
        if (len < TAG_BYTES) {
            throw new NoiseException("ciphertext of " + len + " bytes is shorter than its tag");
        }
        if (nonce == -1L) {
            throw new NoiseException("nonces of this Noise cipher are exhausted");
        }
        aead.init(false, parameters(ad));
        try {
            int n = aead.processBytes(in, off, len, out, outOff);
            n += aead.doFinal(out, outOff + n);
            nonce++;
            return n;
        } catch (InvalidCipherTextException e) {
            // The next init() resets the AEAD, so a failed message leaves nothing behind.
            throw new NoiseException("message does not decrypt");
        }
    }

    private AEADParameters parameters(byte[] ad) {
        if (nonce == -1L) { // 2^64-1: reserved, never used
            throw new IllegalStateException("nonces of this Noise cipher are exhausted");
        }
        long n = nonce;
        for (int i = 0; i < 8; i++) {
            nonceBytes[4 + i] = (byte) (n >>> (8 * i));
        }
        return new AEADParameters(key, TAG_BITS, nonceBytes, ad == null ? NO_AD : ad);
    }

    /** Zeroes the key (the AEAD's own key state is overwritten by a zero-key init). */
    void destroy() {
        destroyKey();
        // Decryption mode: BouncyCastle refuses a repeated (key, nonce) only for encryption.
        aead.init(false, new AEADParameters(new KeyParameter(new byte[Curve25519.KEY_BYTES]), TAG_BITS, new byte[12]));
        Arrays.fill(nonceBytes, (byte) 0);
    }

    private void destroyKey() {
        if (key != null) {
            Arrays.fill(key.getKey(), (byte) 0);
            key = null;
        }
    }
}
