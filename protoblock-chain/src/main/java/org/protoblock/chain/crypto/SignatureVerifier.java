package org.protoblock.chain.crypto;

import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.ValidationException;

/**
 * Checks a chain signature (base58 text, see {@link Signatures}) over a sha256 digest. Validators
 * take one so that signatures already checked in parallel ({@code VerifiedSignatures}) are not
 * checked again. Implementations are thread-safe.
 */
@FunctionalInterface
public interface SignatureVerifier {

    /**
     * @return whether {@code signature} is {@code key}'s signature of {@code digest}
     * @throws ValidationException BAD_SIGNATURE_ENCODING or HIGH_S_SIGNATURE when the text is not a
     *                             valid signature encoding at all
     */
    boolean verify(PublicKey key, Hash256 digest, String signature) throws ValidationException;
}
