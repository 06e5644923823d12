package org.protoblock.p2p.identity;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An identity key's signature over a Noise static public key: what the Noise handshake payload
 * carries, so that the peer learns (and checks) which node id stands behind the static key it
 * authenticated. The signed bytes are {@link #DOMAIN} followed by the 32-byte static public key,
 * so the signature cannot be replayed as any other signed object of ours (peer records use another
 * prefix). Rationale: libp2p's Noise handshake does the same ("noise-libp2p-static-key:").
 */
public record StaticKeyProof(NodeId identity, byte[] signature) {
    public static final byte[] DOMAIN = "protoblock-noise-static-key:".getBytes(StandardCharsets.US_ASCII);

    public StaticKeyProof {
        Objects.requireNonNull(identity, "identity");
        signature = signature.clone();
    }

    public static StaticKeyProof sign(IdentityKey key, byte[] staticPublicKey) {
        return new StaticKeyProof(key.nodeId(), key.sign(signedBytes(staticPublicKey)));
    }

    /** True when the signature is {@code identity}'s over {@code staticPublicKey}. */
    public boolean verifies(byte[] staticPublicKey) {
        return IdentityKey.verify(identity, signedBytes(staticPublicKey), signature);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    private static byte[] signedBytes(byte[] staticPublicKey) {
        byte[] out = Arrays.copyOf(DOMAIN, DOMAIN.length + staticPublicKey.length);
        System.arraycopy(staticPublicKey, 0, out, DOMAIN.length, staticPublicKey.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StaticKeyProof p && identity.equals(p.identity) && Arrays.equals(signature, p.signature);
    }

    @Override
    public int hashCode() {
        return 31 * identity.hashCode() + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "StaticKeyProof[" + identity.shortForm() + "]";
    }
}
