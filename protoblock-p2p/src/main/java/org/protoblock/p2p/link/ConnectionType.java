package org.protoblock.p2p.link;

import java.util.Locale;

/**
 * How a link reaches its peer, set on the channel ({@link LinkAttributes#CONNECTION}) by whoever
 * opened it, before the handshake, and shown by {@code getpeerinfo} as {@code connection}.
 */
public enum ConnectionType {
    /** Our own TCP connection to the peer's address (or in-process). */
    DIRECT,
    /** A circuit spliced by a relay node: the peer's address is the relay's. */
    RELAYED,
    /** A direct connection opened by simultaneous dials that a relayed link coordinated. */
    HOLEPUNCHED;

    /** The name {@code getpeerinfo} shows: "direct", "relayed", "holepunched". */
    public String wireName() {
        return name().replace("_", "").toLowerCase(Locale.ROOT);
    }
}
