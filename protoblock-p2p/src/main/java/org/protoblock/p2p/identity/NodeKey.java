package org.protoblock.p2p.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's keys: the Ed25519 {@link IdentityKey} (its public key is the {@link NodeId}) and the
 * static X25519 key of the Noise handshake, with the identity's {@link StaticKeyProof} over it
 * (signed once here, sent in every handshake).
 *
 * <p>Files (in the data dir): {@value #STATIC_KEY_FILE} the X25519 private key (the node key file of
 * earlier versions, unchanged) and {@value #IDENTITY_KEY_FILE} beside it the Ed25519 seed, each one
 * line of hex. A data dir from before identity keys has only the first: the identity key is created
 * next to it and the change of node id is logged once (earlier node ids were SHA-256 of the static
 * key, which cannot sign). Rationale for two files rather than deriving one key from the other: the
 * Noise key can be replaced without changing the node id, and old files stay readable by old code.
 *
 * <p>Immutable; accessors return copies.
 */
public final class NodeKey {
    public static final int KEY_BYTES = 32;
    public static final String STATIC_KEY_FILE = "node.key";
    public static final String IDENTITY_KEY_FILE = "identity.key";
    private static final Logger log = LoggerFactory.getLogger(NodeKey.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] DERIVED_IDENTITY_DOMAIN = "protoblock-derived-identity:".getBytes(StandardCharsets.US_ASCII);

    private final IdentityKey identity;
    private final byte[] staticPrivateKey;
    private final byte[] staticPublicKey;
    private final StaticKeyProof proof;

    private NodeKey(IdentityKey identity, byte[] staticPrivateKey) {
        this.identity = identity;
        this.staticPrivateKey = staticPrivateKey;
        this.staticPublicKey = new byte[KEY_BYTES];
        X25519.scalarMultBase(staticPrivateKey, 0, staticPublicKey, 0);
        this.proof = StaticKeyProof.sign(identity, staticPublicKey);
    }

    public static NodeKey generate() {
        return new NodeKey(IdentityKey.generate(), randomStaticKey());
    }

    /** The keys {@code identity} and the X25519 private key {@code staticPrivateKey}. */
    public static NodeKey of(IdentityKey identity, byte[] staticPrivateKey) {
        if (staticPrivateKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("X25519 private key must be 32 bytes, got " + staticPrivateKey.length);
        }
        return new NodeKey(identity, staticPrivateKey.clone());
    }

    /**
     * Keys fully determined by one 32-byte {@code secret} (tests, simulations, fuzz seeds): the
     * static key is {@code secret}, the identity seed SHA-256 of "protoblock-derived-identity:"
     * and {@code secret}. A running node loads its two independent keys from files instead.
     */
    public static NodeKey fromPrivateKey(byte[] secret) {
        if (secret.length != KEY_BYTES) {
            throw new IllegalArgumentException("secret must be 32 bytes, got " + secret.length);
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(DERIVED_IDENTITY_DOMAIN);
            return new NodeKey(IdentityKey.fromSeed(sha256.digest(secret)), secret.clone());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the JDK", e);
        }
    }

    /**
     * Reads the static key at {@code staticKeyFile} and the identity key beside it
     * ({@value #IDENTITY_KEY_FILE}), creating whichever is absent (with parent directories).
     */
    public static NodeKey loadOrCreate(Path staticKeyFile) {
        Path identityFile = staticKeyFile.toAbsolutePath().resolveSibling(IDENTITY_KEY_FILE);
        try {
            Optional<byte[]> staticKey = KeyFile.read(staticKeyFile);
            Optional<byte[]> seed = KeyFile.read(identityFile);
            byte[] staticPrivate = staticKey.isPresent() ? staticKey.get() : KeyFile.create(staticKeyFile, randomStaticKey());
            IdentityKey identity = IdentityKey.fromSeed(seed.isPresent() ? seed.get()
                    : KeyFile.create(identityFile, IdentityKey.generate().seed()));
            NodeKey key = new NodeKey(identity, staticPrivate);
            if (staticKey.isPresent() && seed.isEmpty()) {
                log.info("Node id changed from {} (hash of the Noise key {}) to {} (identity key created in {}): "
                                + "peers that knew the old id will know this node by the new one",
                        NodeId.hashOf(key.staticPublicKey).hex(), staticKeyFile, key.nodeId().hex(), identityFile);
            } else if (seed.isEmpty()) {
                log.info("Created node keys {} and {} (node id {})", staticKeyFile, identityFile, key.nodeId().shortForm());
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load or create node keys " + staticKeyFile + ", " + identityFile, e);
        }
    }

    private static byte[] randomStaticKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    public IdentityKey identity() {
        return identity;
    }

    public NodeId nodeId() {
        return identity.nodeId();
    }

    /** The Noise static X25519 private key. */
    public byte[] staticPrivateKey() {
        return staticPrivateKey.clone();
    }

    public byte[] staticPublicKey() {
        return staticPublicKey.clone();
    }

    /** The identity's signature over the static public key, for the handshake payload. */
    public StaticKeyProof staticKeyProof() {
        return proof;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeKey other && identity.equals(other.identity)
                && Arrays.equals(staticPublicKey, other.staticPublicKey);
    }

    @Override
    public int hashCode() {
        return 31 * identity.hashCode() + Arrays.hashCode(staticPublicKey);
    }

    @Override
    public String toString() {
        return "NodeKey[" + nodeId().shortForm() + "]";
    }
}
