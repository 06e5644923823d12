package org.protoblock.chain.verify;

import java.util.Objects;
import java.util.Set;
import org.protoblock.chain.crypto.PublicKey;
import org.protoblock.chain.crypto.Secp256k1Verifier;
import org.protoblock.chain.crypto.SignatureVerifier;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.ValidationException;

/**
 * Signatures already verified valid (by {@link ParallelSignatureVerifier}): a {@link SignatureVerifier}
 * that answers true for them without recomputing and falls back to {@code fallback} for anything
 * else, so a wrong guess in the parallel pass costs time, never correctness. Immutable, thread-safe.
 */
public final class VerifiedSignatures implements SignatureVerifier {
    private final Set<SignatureCheck> valid;
    private final SignatureVerifier fallback;

    public VerifiedSignatures(Set<SignatureCheck> valid, SignatureVerifier fallback) {
        this.valid = Set.copyOf(valid);
        this.fallback = Objects.requireNonNull(fallback, "fallback");
    }

    public VerifiedSignatures(Set<SignatureCheck> valid) {
        this(valid, Secp256k1Verifier.INSTANCE);
    }

    public boolean contains(SignatureCheck check) {
        return valid.contains(check);
    }

    public int size() {
        return valid.size();
    }

    @Override
    public boolean verify(PublicKey key, Hash256 digest, String signature) throws ValidationException {
        return valid.contains(new SignatureCheck(key, digest, signature)) || fallback.verify(key, digest, signature);
    }
}
