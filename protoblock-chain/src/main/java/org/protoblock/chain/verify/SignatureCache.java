package org.protoblock.chain.verify;

import java.util.LinkedHashMap;
import java.util.Map;
import org.protoblock.chain.crypto.PublicKey;
import org.protoblock.chain.crypto.SignatureVerifier;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.ValidationException;

/**
 * Remembers signatures that verified, so each is checked once: a transaction verified when it
 * entered the mempool, or in a parallel pre-verification pass, is not verified again when its
 * block connects. Only successes are cached (a failure is rare and must keep its precise rule).
 *
 * <p>Bounded: at most {@code capacity} entries, least recently used evicted first. Thread-safe
 * (one lock; held only for map operations, never during a verification).
 */
public final class SignatureCache implements SignatureVerifier {
    private final SignatureVerifier delegate;
    private final Map<SignatureCheck, Boolean> verified;

    public SignatureCache(SignatureVerifier delegate, int capacity) {
        this.delegate = delegate;
        this.verified = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<SignatureCheck, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public boolean verify(PublicKey key, Hash256 digest, String signature) throws ValidationException {
        SignatureCheck check = new SignatureCheck(key, digest, signature);
        synchronized (verified) {
            if (verified.get(check) != null) {
                return true;
            }
        }
        boolean ok = delegate.verify(key, digest, signature);
        if (ok) {
            remember(check);
        }
        return ok;
    }

    /** Whether {@code check} verified before (and is still remembered). */
    public boolean isKnown(SignatureCheck check) {
        synchronized (verified) {
            return verified.get(check) != null;
        }
    }

    /** Records checks found valid elsewhere (the parallel pass). */
    public void rememberAll(Iterable<SignatureCheck> checks) {
        synchronized (verified) {
            for (SignatureCheck check : checks) {
                verified.put(check, Boolean.TRUE);
            }
        }
    }

    public void remember(SignatureCheck check) {
        synchronized (verified) {
            verified.put(check, Boolean.TRUE);
        }
    }

    public int size() {
        synchronized (verified) {
            return verified.size();
        }
    }
}
