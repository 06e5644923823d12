package org.protoblock.chain.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.crypto.PublicKey;
import org.protoblock.chain.crypto.SignatureVerifier;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.Sha256;

class SignatureCacheTest {
    private final PublicKey key = KeyPair.generate().publicKey();
    private final PublicKey otherKey = KeyPair.generate().publicKey();
    private final Hash256 digest = Sha256.hashAscii("tx");

    /** Answers from a script and counts the calls, so a test sees which checks reached the verifier. */
    private static final class CountingVerifier implements SignatureVerifier {
        final List<String> calls = new ArrayList<>();
        boolean answer = true;

        @Override
        public boolean verify(PublicKey key, Hash256 digest, String signature) {
            calls.add(signature);
            return answer;
        }
    }

    @Test
    void aVerifiedCheckIsNotVerifiedAgain() throws Exception {
        CountingVerifier delegate = new CountingVerifier();
        SignatureCache cache = new SignatureCache(delegate, 10);

        assertThat(cache.verify(key, digest, "sig")).isTrue();
        assertThat(cache.verify(key, digest, "sig")).isTrue();

        assertThat(delegate.calls).containsExactly("sig");
    }

    @Test
    void anyDifferentPartIsADifferentCheck() throws Exception {
        CountingVerifier delegate = new CountingVerifier();
        SignatureCache cache = new SignatureCache(delegate, 10);
        cache.verify(key, digest, "sig");

        cache.verify(key, digest, "sig2");
        cache.verify(otherKey, digest, "sig");
        cache.verify(key, Sha256.hashAscii("other tx"), "sig");

        assertThat(delegate.calls).hasSize(4);
    }

    @Test
    void failuresAreNotCached() throws Exception {
        CountingVerifier delegate = new CountingVerifier();
        delegate.answer = false;
        SignatureCache cache = new SignatureCache(delegate, 10);

        assertThat(cache.verify(key, digest, "bad")).isFalse();
        assertThat(cache.verify(key, digest, "bad")).isFalse();

        assertThat(delegate.calls).hasSize(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void checksRememberedElsewhereAreHits() throws Exception {
        CountingVerifier delegate = new CountingVerifier();
        SignatureCache cache = new SignatureCache(delegate, 10);

        cache.rememberAll(List.of(new SignatureCheck(key, digest, "sig")));

        assertThat(cache.verify(key, digest, "sig")).isTrue();
        assertThat(delegate.calls).isEmpty();
    }

    @Test
    void theLeastRecentlyUsedEntryLeavesFirst() throws Exception {
        CountingVerifier delegate = new CountingVerifier();
        SignatureCache cache = new SignatureCache(delegate, 2);
        cache.verify(key, digest, "a");
        cache.verify(key, digest, "b");
        cache.verify(key, digest, "a"); // a is now the most recent
        cache.verify(key, digest, "c"); // evicts b

        delegate.calls.clear();
        cache.verify(key, digest, "a");
        cache.verify(key, digest, "b");

        assertThat(delegate.calls).containsExactly("b");
        assertThat(cache.size()).isEqualTo(2);
    }
}
