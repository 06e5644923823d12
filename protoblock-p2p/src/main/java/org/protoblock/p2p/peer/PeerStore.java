package org.protoblock.p2p.peer;

import org.protoblock.p2p.discovery.AddressStore;

/**
 * All peer data a node keeps: the address book and anchors (discovery's part) and the bans.
 * {@code peerstore.ChainStorePeerStore} keeps them in the chain store's columns,
 * {@code peerstore.InMemoryPeerStore} in memory.
 */
public interface PeerStore extends AddressStore, BanStore {
}
