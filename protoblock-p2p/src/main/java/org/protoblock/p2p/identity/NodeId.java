package org.protoblock.p2p.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A node's identity on the network: its Ed25519 identity public key ({@link IdentityKey}), as
 * lowercase hex. Authenticated by the Noise handshake (the identity signs the Noise static key),
 * never taken from what a peer says about itself; it verifies the node's signed peer records.
 */
public record NodeId(String hex) implements Comparable<NodeId> {
    public static final int BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    public NodeId {
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != BYTES * 2 || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("node id must be 64 lowercase hex chars: " + hex);
        }
    }

    /**
     * SHA-256 of {@code bytes} as an id: what node ids were before identity keys (the hash of the
     * Noise static key), and a quick distinct id for tests. Not a key: it verifies no signature.
     */
    public static NodeId hashOf(byte[] bytes) {
        try {
            return new NodeId(HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the JDK", e);
        }
    }

    public static NodeId fromBytes(byte[] id) {
        if (id.length != BYTES) {
            throw new IllegalArgumentException("node id must be " + BYTES + " bytes, got " + id.length);
        }
        return new NodeId(HEX.formatHex(id));
    }

    public byte[] toBytes() {
        return HEX.parseHex(hex);
    }

    /** First 8 hex chars: enough to tell peers apart in logs. */
    public String shortForm() {
        return hex.substring(0, 8);
    }

    @Override
    public int compareTo(NodeId other) {
        return hex.compareTo(other.hex);
    }

    @Override
    public String toString() {
        return shortForm();
    }
}
