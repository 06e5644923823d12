package org.protoblock.node.sp;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/**
 * What a REP endpoint answers: one reply per request body. Called on an event loop: return at
 * once and do real work elsewhere. A failed future drops the request (the client's REQ resends).
 */
@FunctionalInterface
public interface SpService {
    CompletableFuture<byte[]> handle(byte[] request, InetAddress from);
}
