package org.protoblock.node.rpc;

import io.netty.channel.ChannelPipeline;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A WebSocket endpoint of the RPC port: its subprotocol (echoed when the client asks for it), the
 * largest message it takes, whether it needs the RPC token like JSON-RPC does, and what to add
 * to the pipeline once the upgrade is done (handlers that read and write WebSocket frames).
 *
 * @param install adds the endpoint's handlers at the end of the pipeline, on the event loop
 */
public record WebSocketRoute(Optional<String> subprotocol, int maxMessageBytes, boolean needsToken,
                             Consumer<ChannelPipeline> install) {
    public WebSocketRoute {
        Objects.requireNonNull(subprotocol, "subprotocol");
        Objects.requireNonNull(install, "install");
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be positive");
        }
    }
}
