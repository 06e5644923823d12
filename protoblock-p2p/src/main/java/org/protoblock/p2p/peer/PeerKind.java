package org.protoblock.p2p.peer;

/**
 * Why a link exists, which decides how it counts against targets and whether it may be evicted.
 * Block-only links are dialed and counted separately (default 2 besides 8 full-relay ones) and are
 * the anchors we keep across restarts; until gossip distinguishes them they relay like full links.
 */
public enum PeerKind {
    /** Dialed by us to fill the full-relay outbound target. */
    FULL_RELAY,
    /** Dialed by us to fill the block-only outbound target (and anchors). */
    BLOCK_ONLY,
    /** A short test of an address (new table or a tried collision); closed after the handshake. */
    FEELER,
    /** A seed: connect, ask for addresses, disconnect (Bitcoin's address fetch), so seeds stay free to serve others. */
    ADDR_FETCH,
    /** Asked for by the operator ({@code addnode}): reconnected with backoff, never evicted. */
    MANUAL,
    /** The peer dialed us. */
    INBOUND;

    public boolean outbound() {
        return this != INBOUND;
    }
}
