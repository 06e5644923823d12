package org.protoblock.p2p.handshake;

import java.util.EnumSet;
import java.util.Set;

/** What a node offers its peers, sent as a bitmask in {@code Hello}. Unknown bits are ignored. */
public enum Service {
    /** Keeps and serves the whole chain. */
    FULL(1),
    /** Relays links for nodes behind NAT. */
    RELAY(2),
    /** Holds a producer key and makes blocks. */
    PRODUCER(4);

    private final long bit;

    Service(long bit) {
        this.bit = bit;
    }

    public static long toMask(Set<Service> services) {
        long mask = 0;
        for (Service s : services) {
            mask |= s.bit;
        }
        return mask;
    }

    public static Set<Service> fromMask(long mask) {
        EnumSet<Service> set = EnumSet.noneOf(Service.class);
        for (Service s : values()) {
            if ((mask & s.bit) != 0) {
                set.add(s);
            }
        }
        return set;
    }
}
