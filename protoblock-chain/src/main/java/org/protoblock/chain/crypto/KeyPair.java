package org.protoblock.chain.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * A secret key and its public key: a block producer's or a client's identity on the chain.
 *
 * <p>Key file format (text, UTF-8, at most 4 KiB): lines starting with {@code #} are comments; the
 * first other line is the secret key, 64 hex characters (or base58 of the 32 bytes). A comment
 * {@code # public <base58>} is written for humans and, when present, checked on load. Files are
 * created with permissions 600 where the file system is POSIX, written to a temporary file and moved
 * into place, and never overwritten (Rationale: losing a producer key is not recoverable).
 */
public record KeyPair(PrivateKey privateKey, PublicKey publicKey) {
    private static final int MAX_FILE_BYTES = 4096;
    private static final String PUBLIC_PREFIX = "# public ";

    public KeyPair {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
        if (!privateKey.publicKey().equals(publicKey)) {
            throw new IllegalArgumentException("public key does not belong to the private key");
        }
    }

    public static KeyPair of(PrivateKey privateKey) {
        return new KeyPair(privateKey, privateKey.publicKey());
    }

    public static KeyPair generate(SecureRandom random) {
        return of(PrivateKey.generate(random));
    }

    public static KeyPair generate() {
        return generate(new SecureRandom());
    }

    /** Reproducible keys for tests; see {@link PrivateKey#fromRandom}. */
    public static KeyPair fromRandom(Random random) {
        return of(PrivateKey.fromRandom(random));
    }

    /** Signs sha256 digest {@code digest32}; returns the chain's base58 signature text. */
    public String sign(byte[] digest32) {
        return Secp256k1Signer.sign(privateKey, digest32);
    }

    /** Writes the key file; fails if {@code file} exists. */
    public void save(Path file) throws IOException {
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String text = "# Protoblock secp256k1 private key: keep secret.\n"
                + PUBLIC_PREFIX + publicKey.toBase58() + "\n"
                + privateKey.toHex() + "\n";
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, ".key", ".tmp", attrs);
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static KeyPair load(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new IOException("key file larger than " + MAX_FILE_BYTES + " bytes: " + file);
        }
        String secretText = null;
        Optional<String> declaredPublic = Optional.empty();
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.startsWith(PUBLIC_PREFIX.strip())) {
                declaredPublic = Optional.of(line.substring(PUBLIC_PREFIX.strip().length()).strip());
            } else if (!line.isEmpty() && !line.startsWith("#") && secretText == null) {
                secretText = line;
            }
        }
        if (secretText == null) {
            throw new IOException("no key in " + file);
        }
        KeyPair pair;
        try {
            pair = of(PrivateKey.of(parseSecret(secretText)));
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid key in " + file + ": " + e.getMessage());
        }
        if (declaredPublic.isPresent() && !declaredPublic.get().equals(pair.publicKey.toBase58())) {
            throw new IOException("key file's public key does not match its private key: " + file);
        }
        return pair;
    }

    private static byte[] parseSecret(String text) {
        if (text.length() == 2 * PrivateKey.BYTES && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return HexFormat.of().parseHex(text);
        }
        return Base58.decode(text, 64);
    }
}
