package org.protoblock.node.wallet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.store.NameEntry;

/**
 * The client's keys, one file per fantasy name ({@code <dir>/<name>.key}, the chain's key file
 * format, mode 600). Names are unique case-insensitively on the chain, so the file name is the
 * case-folded name, with characters unsafe in file names percent-encoded.
 */
public final class Wallet {
    public static final int MAX_NAME_CHARS = 64;

    private final Path dir;

    public Wallet(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path keyFile(String name) {
        return dir.resolve(fileStem(name) + ".key");
    }

    public Optional<KeyPair> find(String name) throws IOException {
        Path file = keyFile(name);
        return Files.exists(file) ? Optional.of(KeyPair.load(file)) : Optional.empty();
    }

    /** The name's key, created and saved on first use. */
    public KeyPair keyFor(String name) throws IOException {
        Optional<KeyPair> existing = find(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        KeyPair key = KeyPair.generate();
        try {
            key.save(keyFile(name));
            return key;
        } catch (FileAlreadyExistsException raced) {
            return KeyPair.load(keyFile(name));
        }
    }

    /** Checks a fantasy name before anything is signed with it. */
    public static void checkName(String name) {
        if (name.isBlank() || name.length() > MAX_NAME_CHARS || !name.equals(name.strip())) {
            throw new IllegalArgumentException("fantasy name must be 1.." + MAX_NAME_CHARS
                    + " characters without leading or trailing spaces");
        }
    }

    static String fileStem(String name) {
        checkName(name);
        StringBuilder out = new StringBuilder();
        for (byte b : NameEntry.fold(name).getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02x", b & 0xff));
            }
        }
        return out.toString();
    }
}
