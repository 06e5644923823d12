package org.protoblock.p2p.identity;

import com.southernstorm.noise.protocol.DHState;
import com.southernstorm.noise.protocol.Noise;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's static X25519 key pair: its identity in the Noise handshake. Generated on first start
 * and kept in the data dir as one line of hex (owner read/write only where the file system has
 * POSIX permissions). Immutable; accessors return copies.
 */
public final class NodeKey {
    public static final int KEY_BYTES = 32;
    private static final Logger log = LoggerFactory.getLogger(NodeKey.class);
    private static final HexFormat HEX = HexFormat.of();
    private static final String DH = "25519";

    private final byte[] privateKey;
    private final byte[] publicKey;
    private final NodeId nodeId;

    private NodeKey(byte[] privateKey, byte[] publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.nodeId = NodeId.ofStaticKey(publicKey);
    }

    public static NodeKey generate() {
        DHState dh = newDh();
        dh.generateKeyPair();
        byte[] priv = new byte[KEY_BYTES];
        byte[] pub = new byte[KEY_BYTES];
        dh.getPrivateKey(priv, 0);
        dh.getPublicKey(pub, 0);
        dh.destroy();
        return new NodeKey(priv, pub);
    }

    public static NodeKey fromPrivateKey(byte[] privateKey) {
        if (privateKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("X25519 private key must be 32 bytes, got " + privateKey.length);
        }
        DHState dh = newDh();
        dh.setPrivateKey(privateKey, 0);
        byte[] pub = new byte[KEY_BYTES];
        dh.getPublicKey(pub, 0);
        dh.destroy();
        return new NodeKey(privateKey.clone(), pub);
    }

    /**
     * Reads the key at {@code file}, or creates it there (with its parent directories) when absent.
     * Creation goes through a temporary file and an atomic move so a crash never leaves half a key.
     */
    public static NodeKey loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return read(file);
            }
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            NodeKey key = generate();
            Path tmp = Files.createTempFile(dir, ".node-key", ".tmp");
            try {
                restrictToOwner(tmp);
                Files.writeString(tmp, HEX.formatHex(key.privateKey) + "\n", StandardCharsets.US_ASCII);
                moveIntoPlace(tmp, file);
            } finally {
                Files.deleteIfExists(tmp);
            }
            // Another process may have won the race; whatever is on disk is the identity.
            NodeKey stored = read(file);
            log.info("Created node key {} (node id {})", file, stored.nodeId().shortForm());
            return stored;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load or create node key " + file, e);
        }
    }

    private static void moveIntoPlace(Path tmp, Path file) throws IOException {
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            try {
                Files.move(tmp, file);
            } catch (FileAlreadyExistsException raced) {
                // keep the existing file
            }
        }
    }

    private static NodeKey read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        byte[] priv;
        try {
            priv = HEX.parseHex(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("node key file " + file + " is not hex", e);
        }
        if (priv.length != KEY_BYTES) {
            throw new IOException("node key file " + file + " holds " + priv.length + " bytes, expected " + KEY_BYTES);
        }
        return fromPrivateKey(priv);
    }

    private static void restrictToOwner(Path path) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            log.debug("File system of {} has no POSIX permissions; key file left with defaults", path);
        }
    }

    private static DHState newDh() {
        try {
            return Noise.createDH(DH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("noise-java lacks X25519", e);
        }
    }

    public byte[] privateKey() {
        return privateKey.clone();
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    public NodeId nodeId() {
        return nodeId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeKey other && Arrays.equals(publicKey, other.publicKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "NodeKey[" + nodeId.shortForm() + "]";
    }
}
