package org.protoblock.p2p.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.concurrent.CompletableFuture;

/** Bridges Netty channel futures to {@link CompletableFuture}s for the public API. */
public final class NettyFutures {
    private NettyFutures() {
    }

    public static CompletableFuture<Channel> toCompletable(ChannelFuture future) {
        CompletableFuture<Channel> result = new CompletableFuture<>();
        future.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                result.complete(f.channel());
            } else if (f.isCancelled()) {
                result.cancel(false);
            } else {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }
}
