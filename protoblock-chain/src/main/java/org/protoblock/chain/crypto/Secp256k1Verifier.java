package org.protoblock.chain.crypto;

import fr.acinq.secp256k1.Secp256k1;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.ValidationException;

/**
 * ECDSA/secp256k1 verification over a raw 32-byte sha256 digest with libsecp256k1, which rejects
 * high-S signatures. Stateless and thread-safe.
 */
public final class Secp256k1Verifier implements SignatureVerifier {
    public static final Secp256k1Verifier INSTANCE = new Secp256k1Verifier();

    private Secp256k1Verifier() {
    }

    @Override
    public boolean verify(PublicKey key, Hash256 digest, String signature) throws ValidationException {
        return verifyCompact(key, digest.toBytes(), Signatures.decode(signature));
    }

    /** Verifies compact big-endian r||s; false (never an exception) for any invalid input. */
    public static boolean verifyCompact(PublicKey key, byte[] digest32, byte[] compact) {
        if (digest32.length != 32 || compact.length != Signatures.COMPACT_BYTES) {
            return false;
        }
        try {
            return Secp256k1.get().verify(compact, digest32, key.bytesUnsafe());
        } catch (RuntimeException e) { // Secp256k1Exception on unparsable input
            return false;
        }
    }
}
