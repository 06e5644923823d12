package org.protoblock.node.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.node.app.NodeApp;
import org.protoblock.node.testing.Http;
import org.protoblock.node.testing.LocalNet;

/** An RPC port that is not loopback-only requires the data dir's token (forced here: no non-loopback address in CI). */
class RpcTokenTest {
    @TempDir
    Path dir;

    static final String REQUEST = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getblockcount\"}";

    @Test
    void aTokenIsRequiredAndGeneratedIntoTheDataDir() throws Exception {
        try (LocalNet net = new LocalNet(dir)) {
            NodeApp node = net.start(spec -> spec.withRequireRpcToken(true));
            URI uri = node.rpcUrl();
            Path tokenFile = node.spec().dataDir().resolve(RpcAuth.TOKEN_FILE);
            String token = Files.readString(tokenFile, StandardCharsets.US_ASCII).strip();
            assertThat(node.rpcToken()).hasValue(token);
            assertThat(token).hasSize(64);
            if (tokenFile.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                assertThat(Files.getPosixFilePermissions(tokenFile)).isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }

            assertThat(Http.post(uri, REQUEST).statusCode()).isEqualTo(401);
            assertThat(Http.post(uri, REQUEST.getBytes(StandardCharsets.UTF_8), Map.of("Authorization", "Bearer wrong")).statusCode())
                    .isEqualTo(401);
            assertThat(Http.get(uri.resolve("/metrics"), Map.of()).statusCode()).isEqualTo(401);
            var ok = Http.post(uri, REQUEST.getBytes(StandardCharsets.UTF_8), Map.of("Authorization", "Bearer " + token));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(Http.json(ok).get("result").asInt()).isZero();
            assertThat(Http.get(uri.resolve("/metrics"), Map.of("Authorization", "Bearer " + token)).statusCode()).isEqualTo(200);
            RpcClient client = new RpcClient(uri, Optional.of(token), java.time.Duration.ofSeconds(10));
            assertThat(client.call("getblockcount").asInt()).isZero();
        }
    }

    @Test
    void loopbackIsOpenAndOtherAddressesAreNot() {
        assertThat(RpcAuth.isLoopback("127.0.0.1")).isTrue();
        assertThat(RpcAuth.isLoopback("::1")).isTrue();
        assertThat(RpcAuth.isLoopback("localhost")).isTrue();
        assertThat(RpcAuth.isLoopback("0.0.0.0")).isFalse();
        assertThat(RpcAuth.isLoopback("10.1.2.3")).isFalse();
        assertThat(RpcAuth.open().permits(Optional.empty())).isTrue();
        RpcAuth auth = RpcAuth.withToken("secret");
        assertThat(auth.permits(Optional.empty())).isFalse();
        assertThat(auth.permits(Optional.of("Bearer secret"))).isTrue();
        assertThat(auth.permits(Optional.of("bearer secret"))).isTrue();
        assertThat(auth.permits(Optional.of("Basic secret"))).isFalse();
        assertThat(auth.permits(Optional.of("Bearer secre"))).isFalse();
    }
}
