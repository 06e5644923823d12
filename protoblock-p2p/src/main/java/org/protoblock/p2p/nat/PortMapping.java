package org.protoblock.p2p.nat;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * A TCP port mapping a gateway granted us: connections to {@code external} reach our listener on
 * {@code internalPort} until {@code expires} (the mapper renews it before then).
 *
 * <p>The external address is the gateway's word: it may be private (a NAT behind another NAT);
 * only a dial-back check tells whether anyone can reach it.
 */
public record PortMapping(MappingProtocol protocol, InetSocketAddress external, int internalPort, Instant expires) {
    public PortMapping {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(external, "external");
        Objects.requireNonNull(expires, "expires");
        if (external.isUnresolved() || external.getPort() <= 0 || external.getPort() > 65535) {
            throw new IllegalArgumentException("external must be an IP address and a port: " + external);
        }
        if (internalPort <= 0 || internalPort > 65535) {
            throw new IllegalArgumentException("internal port out of range: " + internalPort);
        }
    }
}
