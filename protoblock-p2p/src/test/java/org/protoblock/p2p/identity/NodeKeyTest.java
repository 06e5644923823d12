package org.protoblock.p2p.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeKeyTest {
    @TempDir
    Path dir;

    @Test
    void firstStartCreatesTheKeyAndLaterStartsReadIt() throws Exception {
        Path file = dir.resolve("data/node.key");
        NodeKey created = NodeKey.loadOrCreate(file);
        NodeKey again = NodeKey.loadOrCreate(file);
        assertThat(again).isEqualTo(created);
        assertThat(again.nodeId()).isEqualTo(created.nodeId());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no temp file left behind
        }
    }

    @Test
    void corruptKeyFileIsAnErrorNotANewIdentity() throws Exception {
        Path file = dir.resolve("node.key");
        Files.writeString(file, "not hex");
        assertThatThrownBy(() -> NodeKey.loadOrCreate(file)).isInstanceOf(UncheckedIOException.class);
        Files.writeString(file, "abcd");
        assertThatThrownBy(() -> NodeKey.loadOrCreate(file)).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void nodeIdIsSha256OfTheStaticPublicKey() throws Exception {
        NodeKey key = NodeKey.generate();
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(key.publicKey());
        assertThat(key.nodeId().toBytes()).isEqualTo(digest);
        assertThat(key.nodeId().shortForm()).hasSize(8);
        assertThat(NodeKey.fromPrivateKey(key.privateKey())).isEqualTo(key);
    }

    @Test
    void nodeIdRejectsMalformedHex() {
        assertThatThrownBy(() -> new NodeId("ABC")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NodeId("G".repeat(64))).isInstanceOf(IllegalArgumentException.class);
        NodeId id = NodeId.fromBytes(new byte[32]);
        assertThat(id.hex()).isEqualTo("0".repeat(64));
    }
}
