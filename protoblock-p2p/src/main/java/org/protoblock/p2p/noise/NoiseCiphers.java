package org.protoblock.p2p.noise;

/**
 * The transport phase of a Noise session: one cipher per direction with its own nonce counter.
 * Not thread-safe; the link's event loop owns it (Netty serializes reads and writes there).
 */
public final class NoiseCiphers {
    /** Largest plaintext in one transport message (65535 minus the Poly1305 tag). */
    public static final int MAX_PLAINTEXT = NoiseHandshake.MAX_MESSAGE - NoiseHandshake.TAG_BYTES;

    private final CipherState sender;
    private final CipherState receiver;
    private final byte[] handshakeHash;

    NoiseCiphers(CipherState sender, CipherState receiver, byte[] handshakeHash) {
        this.sender = sender;
        this.receiver = receiver;
        this.handshakeHash = handshakeHash;
    }

    /** Encrypts {@code len ≤ MAX_PLAINTEXT} bytes into {@code out} at {@code outOff}; returns bytes written. */
    public int encrypt(byte[] in, int off, int len, byte[] out, int outOff) {
        if (len > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("plaintext of " + len + " bytes exceeds " + MAX_PLAINTEXT);
        }
        return sender.encryptWithAd(null, in, off, len, out, outOff);
    }

    /** Decrypts in place; returns the plaintext length. */
    public int decrypt(byte[] buf, int off, int len) throws NoiseException {
        if (len < NoiseHandshake.TAG_BYTES) {
            throw new NoiseException("transport message of " + len + " bytes is shorter than its tag");
        }
        if (len > NoiseHandshake.MAX_MESSAGE) {
            throw new NoiseException("transport message of " + len + " bytes");
        }
        try {
            return receiver.decryptWithAd(null, buf, off, len, buf, off);
        } catch (NoiseException e) {
            throw new NoiseException("transport message does not decrypt: " + e.getMessage());
        }
    }

    public byte[] handshakeHash() {
        return handshakeHash.clone();
    }

    public void destroy() {
        sender.destroy();
        receiver.destroy();
    }
}
