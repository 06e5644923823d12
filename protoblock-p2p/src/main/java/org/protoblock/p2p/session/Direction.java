package org.protoblock.p2p.session;

/** Who opened the link. */
public enum Direction {
    /** The peer dialed us. */
    INBOUND,
    /** We dialed the peer. */
    OUTBOUND
}
