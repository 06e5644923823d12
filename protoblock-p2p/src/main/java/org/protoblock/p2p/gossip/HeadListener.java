package org.protoblock.p2p.gossip;

import org.protoblock.chain.types.ChainHead;
import org.protoblock.p2p.session.Session;

/**
 * Told when a peer announced a block we cannot connect from gossip alone (its parent is unknown
 * to us, or the chain held it as an orphan): the peer is ahead or on another branch, which is
 * sync's job (SyncManager.onPeerHead). Called on the block gossip executor: return quickly.
 */
@FunctionalInterface
public interface HeadListener {
    void onPeerHead(Session session, ChainHead head);
}
