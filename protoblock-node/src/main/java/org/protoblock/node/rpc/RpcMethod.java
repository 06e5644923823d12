package org.protoblock.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;

/**
 * One JSON-RPC method. Called on the RPC executor (never a Netty event loop), so it may read the
 * store; work that waits for the chain returns a future instead of blocking.
 */
@FunctionalInterface
public interface RpcMethod {
    CompletableFuture<JsonNode> call(RpcParams params) throws RpcException;
}
