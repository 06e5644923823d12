package org.protoblock.chain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyPairTest {
    @TempDir
    Path dir;

    @Test
    void savesAndLoadsWithOwnerOnlyPermissions() throws IOException {
        KeyPair key = KeyPair.generate();
        Path file = dir.resolve("keys/producer.key");
        key.save(file);
        assertThat(KeyPair.load(file)).isEqualTo(key);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        assertThat(Files.readString(file)).contains(key.publicKey().toBase58()).contains(key.privateKey().toHex());
        assertThat(key.toString()).doesNotContain(key.privateKey().toHex());
    }

    @Test
    void neverOverwritesAKeyFile() throws IOException {
        Path file = dir.resolve("k.key");
        KeyPair.generate().save(file);
        assertThatThrownBy(() -> KeyPair.generate().save(file)).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void loadsBareHexOrBase58AndChecksTheDeclaredPublicKey() throws IOException {
        KeyPair key = KeyPair.fromRandom(new Random(3));
        Path hex = Files.writeString(dir.resolve("hex.key"), key.privateKey().toHex() + "\n");
        assertThat(KeyPair.load(hex)).isEqualTo(key);
        Path b58 = Files.writeString(dir.resolve("b58.key"), "# comment\n" + Base58.encode(key.privateKey().toBytes()));
        assertThat(KeyPair.load(b58)).isEqualTo(key);
        KeyPair other = KeyPair.fromRandom(new Random(4));
        Path mismatch = Files.writeString(dir.resolve("bad.key"),
                "# public " + other.publicKey().toBase58() + "\n" + key.privateKey().toHex() + "\n");
        assertThatThrownBy(() -> KeyPair.load(mismatch)).isInstanceOf(IOException.class).hasMessageContaining("does not match");
        Path empty = Files.writeString(dir.resolve("empty.key"), "# nothing\n");
        assertThatThrownBy(() -> KeyPair.load(empty)).isInstanceOf(IOException.class);
        Path garbage = Files.writeString(dir.resolve("garbage.key"), "0000\n");
        assertThatThrownBy(() -> KeyPair.load(garbage)).isInstanceOf(IOException.class);
        Path huge = Files.writeString(dir.resolve("huge.key"), "#".repeat(5000));
        assertThatThrownBy(() -> KeyPair.load(huge)).isInstanceOf(IOException.class);
    }
}
