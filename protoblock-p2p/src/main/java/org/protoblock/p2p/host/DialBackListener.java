package org.protoblock.p2p.host;

import org.protoblock.p2p.identity.NodeId;

/**
 * Told of every DialBack that arrived on an inbound link: node {@code from} proved it can reach us
 * by sending back {@code nonce}. Called on an event loop: must be cheap and thread-safe.
 */
@FunctionalInterface
public interface DialBackListener {
    void dialBackReceived(NodeId from, long nonce);
}
