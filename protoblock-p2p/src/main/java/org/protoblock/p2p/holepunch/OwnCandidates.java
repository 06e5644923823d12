package org.protoblock.p2p.holepunch;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.protoblock.p2p.discovery.AddressRules;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.link.ConnectionType;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * The addresses of ours a hole-punch peer should dial: for every direct session WE dialed, the
 * host its Hello says it sees us at ("you are") with our TCP listen port first (Linux masquerade
 * and most home NATs keep a source port when they can, and our punch dial leaves from the listen
 * port), then that observed address as given; at most {@link PunchAddresses#MAX_ADDRESSES}, most
 * recent sessions first, loopback only when allowed.
 *
 * <p>Rationale: only peers we dialed are believed (as {@code ExternalAddressVotes} does): anyone
 * can dial us and name an address of its choosing, and we would hand it on as ours.
 *
 * <p>Stateless (reads the host's sessions on each call); thread-safe.
 */
public final class OwnCandidates implements Supplier<List<PeerAddress>> {
    private final PeerHost host;
    private final boolean allowLoopback;

    public OwnCandidates(PeerHost host, boolean allowLoopback) {
        this.host = host;
        this.allowLoopback = allowLoopback;
    }

    @Override
    public List<PeerAddress> get() {
        Optional<Integer> port = listenPort(host);
        Set<PeerAddress> out = new LinkedHashSet<>();
        host.sessions().stream()
                .filter(s -> s.direction() == Direction.OUTBOUND && s.connection() == ConnectionType.DIRECT)
                .sorted((a, b) -> b.connectedAt().compareTo(a.connectedAt()))
                .map(s -> s.remoteHello().observedAddress())
                .flatMap(Optional::stream)
                .filter(a -> AddressRules.acceptable(a, PeerAddress.TCP) && (allowLoopback || !AddressRules.isLoopbackHost(a.host())))
                .forEach(seen -> {
                    port.ifPresent(p -> out.add(PeerAddress.tcp(seen.host(), p)));
                    out.add(seen);
                });
        return out.stream().limit(PunchAddresses.MAX_ADDRESSES).toList();
    }

    /** Our first bound TCP listening port: where punch dials leave from. */
    static Optional<Integer> listenPort(PeerHost host) {
        return host.boundAddresses().stream().filter(a -> PeerAddress.TCP.equals(a.scheme()) && a.port() > 0)
                .map(PeerAddress::port).findFirst();
    }
}
