package org.protoblock.node.natlab;

/** How the router translates the home LAN's outbound connections. */
enum NatKind {
    /** Masquerade keeping source ports where it can: a port-preserving, endpoint-independent NAT. */
    CONE("masquerade"),
    /** Masquerade with fully random source ports: every connection looks different from outside. */
    SYMMETRIC("masquerade random");

    final String rule;

    NatKind(String rule) {
        this.rule = rule;
    }
}
