package org.protoblock.chain.verify;

import java.util.Objects;
import org.protoblock.chain.crypto.PublicKey;
import org.protoblock.chain.types.Hash256;

/**
 * One signature to check: {@code signature} (the chain's base58 text) by {@code key} over
 * {@code digest} (a transaction id or block id). A value: usable as a set key, and the whole triple
 * is the key, since a transaction id does not cover the signature field.
 */
public record SignatureCheck(PublicKey key, Hash256 digest, String signature) {
    public SignatureCheck {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(signature, "signature");
    }
}
