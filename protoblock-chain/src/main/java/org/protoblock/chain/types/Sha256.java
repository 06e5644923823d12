package org.protoblock.chain.types;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.protoblock.chain.types.Hash256;

/** Single SHA-256, the chain's only hash function; it lives beside {@link Hash256} because ids are defined by it. */
public final class Sha256 {
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    });

    private Sha256() {
    }

    public static byte[] digest(byte[] data) {
        return DIGEST.get().digest(data);
    }

    public static Hash256 hash(byte[] data) {
        return Hash256.wrap(digest(data));
    }

    /** sha256 of the ASCII bytes of {@code text}. */
    public static Hash256 hashAscii(String text) {
        return hash(text.getBytes(StandardCharsets.US_ASCII));
    }
}
