package org.protoblock.chain.verify;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import org.protoblock.chain.crypto.PublicKey;
import org.protoblock.chain.crypto.SignatureVerifier;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.Sha256;
import org.protoblock.chain.types.ValidationException;

/**
 * Remembers signatures that verified, so each is checked once: a transaction verified when it
 * entered the mempool, or in a parallel pre-verification pass, is not verified again when its
 * block connects. Only successes are cached (a failure is rare and must keep its precise rule).
 *
 * <p>An entry is not the check itself (key, digest and base58 signature text: about 0.5 KB of
 * objects) but 128 bits of a salted SHA-256 over all three, about 70 bytes with the map's entry,
 * so the full cache costs ~14 MB instead of ~95 MB. The salt is secret and per process, so nobody
 * can search offline for a check that collides with a cached one (as Bitcoin Core salts its
 * signature cache).
 *
 * <p>Bounded: at most {@code capacity} entries, least recently used evicted first. Thread-safe
 * (one lock; held only for map operations, never during hashing or a verification).
 */
public final class SignatureCache implements SignatureVerifier {
    private final SignatureVerifier delegate;
    private final byte[] salt = new byte[32];
    private final Map<Entry, Boolean> verified;

    /** The 128-bit fingerprint of one verified check. */
    private record Entry(long high, long low) {
    }

    public SignatureCache(SignatureVerifier delegate, int capacity) {
        this.delegate = delegate;
        new SecureRandom().nextBytes(salt);
        this.verified = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Entry, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public boolean verify(PublicKey key, Hash256 digest, String signature) throws ValidationException {
        Entry entry = fingerprint(key, digest, signature);
        synchronized (verified) {
            if (verified.get(entry) != null) {
                return true;
            }
        }
        boolean ok = delegate.verify(key, digest, signature);
        if (ok) {
            put(entry);
        }
        return ok;
    }

    /** Whether {@code check} verified before (and is still remembered). */
    public boolean isKnown(SignatureCheck check) {
        Entry entry = fingerprint(check.key(), check.digest(), check.signature());
        synchronized (verified) {
            return verified.get(entry) != null;
        }
    }

    /** Records checks found valid elsewhere (the parallel pass). */
    public void rememberAll(Iterable<SignatureCheck> checks) {
        for (SignatureCheck check : checks) {
            remember(check);
        }
    }

    public void remember(SignatureCheck check) {
        put(fingerprint(check.key(), check.digest(), check.signature()));
    }

    public int size() {
        synchronized (verified) {
            return verified.size();
        }
    }

    private void put(Entry entry) {
        synchronized (verified) {
            verified.put(entry, Boolean.TRUE);
        }
    }

    private Entry fingerprint(PublicKey key, Hash256 digest, String signature) {
        byte[] text = signature.getBytes(StandardCharsets.UTF_8);
        // Key and digest have fixed lengths and the signature comes last: no two triples share an encoding.
        ByteBuffer input = ByteBuffer.allocate(salt.length + PublicKey.BYTES + Hash256.BYTES + text.length)
                .put(salt).put(key.toBytes()).put(digest.toBytes()).put(text);
        ByteBuffer hash = ByteBuffer.wrap(Sha256.digest(input.array()));
        return new Entry(hash.getLong(), hash.getLong());
    }
}
