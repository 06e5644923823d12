package org.protoblock.p2p.noise;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A Noise SymmetricState (spec rev. 34, section 5.2) for SHA256: the chaining key ck, the
 * handshake hash h and the CipherState keyed from ck. SHA-256 is the JDK's MessageDigest
 * (intrinsified on x86); HMAC (RFC 2104) and HKDF (section 4.3, two outputs) are written on it.
 *
 * <p>Threads: not thread-safe; owned by its {@link NoiseHandshake}.
 */
final class SymmetricState {
    static final int HASH_BYTES = 32;

    private final MessageDigest sha256;
    private static final int BLOCK_BYTES = 64;

    /** HMAC's padded key, zeroed after each use. */
    private final byte[] pad = new byte[BLOCK_BYTES];
    private final CipherState cipher = new CipherState();
    private byte[] ck;
    private byte[] h;

    /** InitializeSymmetric(protocolName). */
    SymmetricState(String protocolName) {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        h = name.length <= HASH_BYTES ? Arrays.copyOf(name, HASH_BYTES) : sha256.digest(name);
        ck = h.clone();
    }

    void mixHash(byte[] data, int off, int len) {
        sha256.update(h);
        sha256.update(data, off, len);
        h = sha256.digest();
    }

    void mixHash(byte[] data) {
        mixHash(data, 0, data.length);
    }

    /** MixKey(ikm): ck, tempK = HKDF(ck, ikm); InitializeKey(tempK). Zeroes {@code ikm}. */
    void mixKey(byte[] ikm) {
        byte[][] out = hkdf(ikm);
        Arrays.fill(ikm, (byte) 0);
        Arrays.fill(ck, (byte) 0);
        ck = out[0];
        cipher.initializeKey(out[1]);
        Arrays.fill(out[1], (byte) 0);
    }

    int ciphertextLength(int plaintextLength) {
        return cipher.ciphertextLength(plaintextLength);
    }

    /** EncryptAndHash: encrypts {@code in[off..off+len)} into {@code out[outOff]}; returns bytes written. */
    int encryptAndHash(byte[] in, int off, int len, byte[] out, int outOff) {
        int n = cipher.encryptWithAd(h, in, off, len, out, outOff);
        mixHash(out, outOff, n);
        return n;
    }

    /** DecryptAndHash of {@code in[off..off+len)}; returns the plaintext. */
    byte[] decryptAndHash(byte[] in, int off, int len) throws NoiseException {
        byte[] plain = new byte[len];
        int n = cipher.decryptWithAd(h, in, off, len, plain, 0);
        mixHash(in, off, len);
        return n == len ? plain : Arrays.copyOf(plain, n);
    }

    byte[] handshakeHash() {
        return h.clone();
    }

    /** Split(): the initiator's sending cipher first, then the responder's. */
    CipherState[] split() {
        byte[][] out = hkdf(new byte[0]);
        CipherState c1 = new CipherState();
        CipherState c2 = new CipherState();
        c1.initializeKey(out[0]);
        c2.initializeKey(out[1]);
        Arrays.fill(out[0], (byte) 0);
        Arrays.fill(out[1], (byte) 0);
        return new CipherState[] {c1, c2};
    }

    /** HKDF(ck, ikm) with two outputs (section 4.3). */
    private byte[][] hkdf(byte[] ikm) {
        byte[] tempKey = hmac(ck, ikm);
        byte[] out1 = hmac(tempKey, new byte[] {1});
        byte[] in2 = Arrays.copyOf(out1, HASH_BYTES + 1);
        in2[HASH_BYTES] = 2;
        byte[] out2 = hmac(tempKey, in2);
        Arrays.fill(tempKey, (byte) 0);
        Arrays.fill(in2, (byte) 0);
        return new byte[][] {out1, out2};
    }

    /**
     * HMAC-SHA256 (RFC 2104) of a 32-byte key, on the digest directly rather than javax.crypto.Mac,
     * so the padded keys are ours to zero (SecretKeySpec would keep a copy of each key).
     */
    private byte[] hmac(byte[] key, byte[] data) {
        for (int i = 0; i < BLOCK_BYTES; i++) {
            pad[i] = (byte) ((i < key.length ? key[i] : 0) ^ 0x36);
        }
        sha256.update(pad);
        sha256.update(data);
        byte[] inner = sha256.digest();
        for (int i = 0; i < BLOCK_BYTES; i++) {
            pad[i] ^= 0x36 ^ 0x5c;
        }
        sha256.update(pad);
        sha256.update(inner);
        Arrays.fill(pad, (byte) 0);
        Arrays.fill(inner, (byte) 0);
        return sha256.digest();
    }

    /** Zeroes ck, h and the cipher key. */
    void destroy() {
        Arrays.fill(ck, (byte) 0);
        Arrays.fill(h, (byte) 0);
        cipher.destroy();
    }
}
