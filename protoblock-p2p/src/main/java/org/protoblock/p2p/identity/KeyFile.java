package org.protoblock.p2p.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A 32-byte secret kept as one line of hex (owner read/write only where the file system has POSIX
 * permissions). Written through a temporary file and an atomic move, so a crash never leaves half
 * a key, and a concurrent writer's file wins over ours. Stateless.
 */
final class KeyFile {
    static final int BYTES = 32;
    private static final Logger log = LoggerFactory.getLogger(KeyFile.class);
    private static final HexFormat HEX = HexFormat.of();

    private KeyFile() {
    }

    /** The secret in {@code file}; empty when there is no file. */
    static Optional<byte[]> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        byte[] secret;
        try {
            secret = HEX.parseHex(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("key file " + file + " is not hex", e);
        }
        if (secret.length != BYTES) {
            throw new IOException("key file " + file + " holds " + secret.length + " bytes, expected " + BYTES);
        }
        return Optional.of(secret);
    }

    /** Writes {@code secret} to {@code file} unless one appeared meanwhile; returns what is on disk. */
    static byte[] create(Path file, byte[] secret) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            restrictToOwner(tmp);
            Files.writeString(tmp, HEX.formatHex(secret) + "\n", StandardCharsets.US_ASCII);
            moveIntoPlace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return read(file).orElseThrow(() -> new IOException("key file " + file + " vanished after writing"));
    }

    private static void moveIntoPlace(Path tmp, Path file) throws IOException {
        if (Files.exists(file)) {
            return; // another process won the race; its key is the node's
        }
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

    private static void restrictToOwner(Path path) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            log.debug("File system of {} has no POSIX permissions; key file left with defaults", path);
        }
    }
}
