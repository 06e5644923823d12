package org.protoblock.node.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.protoblock.node.rpc.RpcClient;
import picocli.CommandLine.Option;

/** How a client command reaches a node: {@code --rpc URL}, and the token when the node requires one. */
public final class RpcOptions {
    public static final String DEFAULT_URL = "http://127.0.0.1:8080";

    @Option(names = "--rpc", paramLabel = "URL", defaultValue = DEFAULT_URL,
            description = "Node's RPC URL (default: ${DEFAULT-VALUE}); HOST:PORT also accepted")
    String url;

    @Option(names = "--rpc-token", paramLabel = "TOKEN", description = "RPC token (else $PROTOBLOCK_RPC_TOKEN)")
    Optional<String> token;

    @Option(names = "--rpc-token-file", paramLabel = "FILE", description = "File holding the RPC token (the node's rpc.token)")
    Optional<Path> tokenFile;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "Request timeout (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    public RpcClient client() throws CliException {
        String text = url.contains("://") ? url : "http://" + url;
        URI uri;
        try {
            uri = URI.create(text.endsWith("/") ? text : text + "/");
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--rpc: not a URL: " + url);
        }
        if (timeoutSeconds < 1) {
            throw CliException.usage("--timeout must be at least 1");
        }
        return new RpcClient(uri, token(), Duration.ofSeconds(timeoutSeconds));
    }

    private Optional<String> token() throws CliException {
        if (token.isPresent()) {
            return token;
        }
        if (tokenFile.isPresent()) {
            try {
                return Optional.of(Files.readString(tokenFile.get(), StandardCharsets.US_ASCII).strip());
            } catch (IOException e) {
                throw CliException.failure("cannot read token file " + tokenFile.get() + ": " + e.getMessage());
            }
        }
        return Optional.ofNullable(System.getenv("PROTOBLOCK_RPC_TOKEN")).filter(t -> !t.isBlank());
    }
}
