package org.protoblock.p2p.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeKeyTest {
    @TempDir
    Path dir;

    @Test
    void firstStartCreatesBothKeysAndLaterStartsReadThem() throws Exception {
        Path file = dir.resolve("data/node.key");
        NodeKey created = NodeKey.loadOrCreate(file);
        NodeKey again = NodeKey.loadOrCreate(file);
        assertThat(again).isEqualTo(created);
        assertThat(again.nodeId()).isEqualTo(created.nodeId());
        Path identity = file.resolveSibling(NodeKey.IDENTITY_KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(identity))).isEqualTo("rw-------");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactlyInAnyOrder(file, identity); // no temp file left behind
        }
    }

    @Test
    void anOldDataDirKeepsItsNoiseKeyAndGainsAnIdentityKey() throws Exception {
        byte[] oldStatic = new byte[32];
        oldStatic[0] = 7;
        Path file = dir.resolve("node.key");
        Files.writeString(file, HexFormat.of().formatHex(oldStatic) + "\n", StandardCharsets.US_ASCII);
        byte[] oldPublic = new byte[32];
        X25519.scalarMultBase(oldStatic, 0, oldPublic, 0);

        NodeKey migrated = NodeKey.loadOrCreate(file);

        assertThat(migrated.staticPrivateKey()).isEqualTo(oldStatic);
        assertThat(migrated.staticPublicKey()).isEqualTo(oldPublic);
        assertThat(migrated.nodeId()).as("the id is now the identity key, no longer the hash of the static key")
                .isNotEqualTo(NodeId.hashOf(oldPublic));
        assertThat(Files.exists(file.resolveSibling(NodeKey.IDENTITY_KEY_FILE))).isTrue();
        assertThat(NodeKey.loadOrCreate(file)).as("stable after the migration").isEqualTo(migrated);
    }

    @Test
    void corruptKeyFilesAreAnErrorNotANewIdentity() throws Exception {
        Path file = dir.resolve("node.key");
        Files.writeString(file, "not hex");
        assertThatThrownBy(() -> NodeKey.loadOrCreate(file)).isInstanceOf(UncheckedIOException.class);
        Files.writeString(file, "abcd");
        assertThatThrownBy(() -> NodeKey.loadOrCreate(file)).isInstanceOf(UncheckedIOException.class);
        Files.delete(file);
        Files.writeString(file.resolveSibling(NodeKey.IDENTITY_KEY_FILE), "12");
        assertThatThrownBy(() -> NodeKey.loadOrCreate(file)).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void nodeIdIsTheIdentityPublicKeyAndTheProofCoversTheStaticKey() {
        NodeKey key = NodeKey.generate();
        assertThat(key.nodeId().toBytes()).isEqualTo(key.identity().publicKey());
        assertThat(key.nodeId().shortForm()).hasSize(8);
        assertThat(NodeKey.of(key.identity(), key.staticPrivateKey())).isEqualTo(key);
        StaticKeyProof proof = key.staticKeyProof();
        assertThat(proof.identity()).isEqualTo(key.nodeId());
        assertThat(proof.verifies(key.staticPublicKey())).isTrue();
        assertThat(proof.verifies(NodeKey.generate().staticPublicKey())).as("another static key").isFalse();
        NodeKey impostor = NodeKey.generate();
        assertThat(new StaticKeyProof(key.nodeId(), impostor.staticKeyProof().signature()).verifies(impostor.staticPublicKey()))
                .as("someone else's signature under our id").isFalse();
    }

    @Test
    void aKeyDerivedFromOneSecretIsDeterministicAndDistinct() {
        byte[] secret = new byte[32];
        secret[5] = 1;
        NodeKey key = NodeKey.fromPrivateKey(secret);
        assertThat(NodeKey.fromPrivateKey(secret)).isEqualTo(key);
        assertThat(key.staticPrivateKey()).isEqualTo(secret);
        assertThat(key.nodeId().toBytes()).as("the identity is not the static key").isNotEqualTo(key.staticPublicKey());
        secret[5] = 2;
        assertThat(NodeKey.fromPrivateKey(secret).nodeId()).isNotEqualTo(key.nodeId());
        assertThat(key.staticKeyProof().verifies(key.staticPublicKey())).isTrue();
    }

    @Test
    void signaturesVerifyOnlyForTheSignerAndTheMessage() {
        IdentityKey key = IdentityKey.generate();
        byte[] message = "hello".getBytes(StandardCharsets.US_ASCII);
        byte[] signature = key.sign(message);
        assertThat(IdentityKey.verify(key.nodeId(), message, signature)).isTrue();
        assertThat(IdentityKey.verify(IdentityKey.generate().nodeId(), message, signature)).isFalse();
        assertThat(IdentityKey.verify(key.nodeId(), "hellO".getBytes(StandardCharsets.US_ASCII), signature)).isFalse();
        assertThat(IdentityKey.verify(key.nodeId(), message, new byte[10])).as("short signature").isFalse();
        assertThat(IdentityKey.verify(NodeId.fromBytes(new byte[32]), message, signature)).as("not a key").isFalse();
        assertThat(IdentityKey.fromSeed(key.seed())).isEqualTo(key);
    }

    @Test
    void nodeIdRejectsMalformedHex() {
        assertThatThrownBy(() -> new NodeId("ABC")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NodeId("G".repeat(64))).isInstanceOf(IllegalArgumentException.class);
        NodeId id = NodeId.fromBytes(new byte[32]);
        assertThat(id.hex()).isEqualTo("0".repeat(64));
    }
}
