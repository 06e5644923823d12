package org.protoblock.p2p.metrics;

import java.util.Locale;

/** Why a hole-punch attempt ended without a direct link (the {@code reason} tag of its failure counter). */
public enum HolePunchFailure {
    /** We, or the peer, had no address to offer (nothing observed us from outside yet). */
    NO_ADDRESSES,
    /** The peer did not answer our HolePunchConnect (timeout, error, or it does not punch). */
    NO_ANSWER,
    /** The relayed link closed before the attempt ended. */
    RELAY_CLOSED,
    /** Every dial of the peer's addresses failed (symmetric NAT, firewall, timing). */
    DIAL;

    /** The tag value: "no_addresses", "no_answer", "relay_closed", "dial". */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
