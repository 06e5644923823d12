package org.protoblock.p2p.handshake;

/**
 * The wire protocol version this node speaks and the oldest one it still talks to. A link is
 * compatible when each side's version is at least the other's minimum; each side checks its own
 * minimum and refuses with INCOMPATIBLE_VERSION.
 */
public record ProtocolVersion(int current, int minCompatible) {
    /**
     * 2: the Noise payload proves an Ed25519 identity key (the node id), signed peer records,
     * circuit relay, hole punching, short ids in block announcements. 3: transactions announced and
     * requested by 4-byte short ids in messages of their own (Envelope {@code tx_short_ids},
     * {@code get_tx_short_ids}; 6-byte ones in Inventory and GetTxs are gone). A version 2 node
     * would take neither form, so 3 is also the oldest we talk to (nothing older is deployed).
     */
    public static final ProtocolVersion DEFAULT = new ProtocolVersion(3, 3);

    public ProtocolVersion {
        if (minCompatible < 0 || minCompatible > current) {
            throw new IllegalArgumentException("need 0 <= minCompatible <= current: " + minCompatible + ", " + current);
        }
    }

    public boolean accepts(int remoteVersion) {
        return remoteVersion >= minCompatible;
    }
}
