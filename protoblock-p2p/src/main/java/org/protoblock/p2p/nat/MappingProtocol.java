package org.protoblock.p2p.nat;

/** The gateway protocol that made a port mapping, by the name {@code getnetworkinfo} shows. */
public enum MappingProtocol {
    /** Port Control Protocol, RFC 6887. */
    PCP("pcp"),
    /** NAT Port Mapping Protocol, RFC 6886. */
    NATPMP("natpmp"),
    /** UPnP Internet Gateway Device (WANIPConnection AddPortMapping). */
    UPNP("upnp");

    private final String wireName;

    MappingProtocol(String wireName) {
        this.wireName = wireName;
    }

    /** "pcp", "natpmp" or "upnp". */
    public String wireName() {
        return wireName;
    }
}
