package org.protoblock.node.rpc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Who may call the RPC port. Bound to a loopback address: anyone on this machine (as Bitcoin Core
 * with its cookie off). Bound to any other address: only requests carrying
 * {@code Authorization: Bearer <token>}, the token generated once into {@value #TOKEN_FILE} in the
 * data dir (mode 600). Compared in constant time.
 */
public final class RpcAuth {
    public static final String TOKEN_FILE = "rpc.token";
    private static final int TOKEN_BYTES = 32;
    private static final long MAX_TOKEN_FILE = 1024;

    private final Optional<byte[]> token;

    private RpcAuth(Optional<byte[]> token) {
        this.token = token;
    }

    public static RpcAuth open() {
        return new RpcAuth(Optional.empty());
    }

    public static RpcAuth withToken(String token) {
        return new RpcAuth(Optional.of(token.getBytes(StandardCharsets.US_ASCII)));
    }

    public boolean required() {
        return token.isPresent();
    }

    /** Whether a request with this Authorization header (possibly absent) may pass. */
    public boolean permits(Optional<String> authorization) {
        if (token.isEmpty()) {
            return true;
        }
        if (authorization.isEmpty() || !authorization.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.get().substring(7).strip().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, token.get());
    }

    public static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false; // unresolvable: treat as exposed
        }
    }

    /** Reads the data dir's token, creating it on first use. */
    public static String loadOrCreateToken(Path dataDir) throws IOException {
        Path file = dataDir.resolve(TOKEN_FILE);
        if (Files.exists(file)) {
            if (Files.size(file) > MAX_TOKEN_FILE) {
                throw new IOException("token file too large: " + file);
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (text.isEmpty()) {
                throw new IOException("empty token file: " + file);
            }
            return text;
        }
        byte[] bytes = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(bytes);
        String text = HexFormat.of().formatHex(bytes);
        Files.createDirectories(dataDir);
        Path tmp = Files.createTempFile(dataDir, ".rpc-token", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: default permissions
            }
            Files.writeString(tmp, text + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return text;
    }
}
