package org.protoblock.chain.crypto;

import fr.acinq.secp256k1.Secp256k1;
import java.util.concurrent.atomic.LongAdder;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.ValidationException;

/**
 * ECDSA/secp256k1 verification over a raw 32-byte sha256 digest with libsecp256k1, which rejects
 * high-S signatures. Stateless and thread-safe.
 */
public final class Secp256k1Verifier implements SignatureVerifier {
    public static final Secp256k1Verifier INSTANCE = new Secp256k1Verifier();
    /** Calls of {@link #verify} in this JVM (a few ns against ~30 µs): tests check nothing is verified twice. */
    private static final LongAdder VERIFICATIONS = new LongAdder();

    private Secp256k1Verifier() {
    }

    @Override
    public boolean verify(PublicKey key, Hash256 digest, String signature) throws ValidationException {
        VERIFICATIONS.increment();
        return verifyCompact(key, digest.toBytes(), Signatures.decode(signature));
    }

    /** How many signatures {@link #verify} checked in this JVM so far. */
    public static long verifications() {
        return VERIFICATIONS.sum();
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
