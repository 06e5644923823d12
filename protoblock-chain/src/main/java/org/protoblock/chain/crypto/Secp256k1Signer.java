package org.protoblock.chain.crypto;

import fr.acinq.secp256k1.Secp256k1;

/**
 * ECDSA/secp256k1 signing of a raw 32-byte sha256 digest with libsecp256k1: RFC 6979
 * deterministic nonces and low-S, as the production signer. Thread-safe.
 */
public final class Secp256k1Signer {
    private Secp256k1Signer() {
    }

    /** Compact big-endian r||s (64 bytes, low s). */
    public static byte[] signCompact(PrivateKey key, byte[] digest32) {
        if (digest32.length != 32) {
            throw new IllegalArgumentException("digest must be 32 bytes, got " + digest32.length);
        }
        return Secp256k1.get().sign(digest32, key.bytesUnsafe());
    }

    /** The chain's signature text (see {@link Signatures}). */
    public static String sign(PrivateKey key, byte[] digest32) {
        return Signatures.encode(signCompact(key, digest32));
    }
}
