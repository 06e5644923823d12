package org.protoblock.p2p.discovery;

import java.util.Optional;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * Which addresses we accept from others and would dial. Addresses from peers must be IP literals
 * (no name lookups on their behalf), of our transport's scheme, with a real port, and not
 * unspecified, multicast or broadcast.
 */
public final class AddressRules {
    private AddressRules() {
    }

    /** True if an address heard from a peer (or a beacon) is worth keeping on a transport of {@code scheme}. */
    public static boolean acceptable(PeerAddress address, String scheme) {
        if (!address.scheme().equals(scheme)) {
            return false;
        }
        if (PeerAddress.LOCAL.equals(scheme)) {
            return address.host().length() <= 100;
        }
        String host = address.host();
        boolean literal = IpLiterals.ipv4(host).isPresent() || IpLiterals.ipv6(host).isPresent();
        return literal && address.port() > 0 && !IpLiterals.isUnspecified(host) && !IpLiterals.isMulticastOrBroadcast(host);
    }

    /**
     * A listen address a peer announced, with a wildcard host (0.0.0.0, ::) replaced by the host we
     * see the peer at; empty if it still is not acceptable.
     */
    public static Optional<PeerAddress> resolveAnnounced(PeerAddress announced, PeerAddress seenAt, String scheme) {
        PeerAddress candidate = announced;
        if (PeerAddress.TCP.equals(announced.scheme()) && IpLiterals.isUnspecified(announced.host())
                && PeerAddress.TCP.equals(seenAt.scheme())) {
            candidate = new PeerAddress(announced.scheme(), seenAt.host(), announced.port());
        }
        return acceptable(candidate, scheme) ? Optional.of(candidate) : Optional.empty();
    }

    /**
     * True if {@code address}, told us by a peer at {@code source}, may be kept: a private or
     * link-local address only from a source that is itself loopback, private or link-local; a
     * loopback address only from a loopback source. Rationale: a LAN peer may tell us of LAN nodes,
     * but a public peer naming 10.0.0.1, or any other host naming 127.0.0.1, points us at services
     * inside our own network or machine (Bitcoin Core keeps only routable addresses).
     */
    public static boolean acceptableFrom(PeerAddress address, PeerAddress source) {
        if (!PeerAddress.TCP.equals(address.scheme()) || !IpLiterals.isLocal(address.host())) {
            return true;
        }
        if (!PeerAddress.TCP.equals(source.scheme())) {
            return false;
        }
        return IpLiterals.isLoopback(address.host()) ? IpLiterals.isLoopback(source.host()) : IpLiterals.isLocal(source.host());
    }

    /**
     * The /64 of an IPv6 literal, as {@code a:b:c:d::/64} (lower-case hex); empty for anything else.
     * Rationale: one IPv6 subscriber gets at least a /64, so a ban of one address is no ban at all.
     */
    public static Optional<String> ipv6Prefix64(String host) {
        return IpLiterals.ipv6(host).map(w -> String.format(java.util.Locale.ROOT, "%x:%x:%x:%x::/64", w[0], w[1], w[2], w[3]));
    }

    /** True for loopback, private and link-local hosts: banning such an address would ban bystanders. */
    public static boolean isLocalHost(String host) {
        return IpLiterals.isLocal(host);
    }

    /** True for a loopback IP literal (127/8, ::1). */
    public static boolean isLoopbackHost(String host) {
        return IpLiterals.isLoopback(host);
    }
}
