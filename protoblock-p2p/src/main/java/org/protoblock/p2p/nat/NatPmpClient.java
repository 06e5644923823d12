package org.protoblock.p2p.nat;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Maps one TCP port with NAT-PMP (RFC 6886), IPv4 only: asks the external address (opcode 0), then
 * maps (opcode 2, suggesting external port = internal port).
 *
 * <p>Rules: retransmits start at 250 ms and double (§3.1), cut to the try budget
 * ({@code tries × replyTimeout}) instead of the RFC's 64 s, so a silent gateway costs what a PCP one
 * costs; a map reply counts only when its internal port matches; a success with external port 0
 * or lifetime 0 is no mapping; the address is taken as given, private or not.
 *
 * <p>Threads: confined to the {@link PortMapper}'s thread; no state beyond its configuration.
 */
final class NatPmpClient implements MappingClient {
    private static final Duration FIRST_WAIT = Duration.ofMillis(250);

    private final UdpExchange exchange;
    private final List<Duration> waits;

    NatPmpClient(UdpExchange exchange, Duration budget) {
        this.exchange = exchange;
        this.waits = retransmitWaits(budget);
    }

    /** 250 ms, 500 ms, 1 s, ... while they fit in {@code budget}; the last one takes what is left. */
    static List<Duration> retransmitWaits(Duration budget) {
        List<Duration> waits = new ArrayList<>();
        Duration left = budget;
        Duration next = FIRST_WAIT;
        while (left.compareTo(Duration.ZERO) > 0) {
            Duration wait = next.compareTo(left) <= 0 ? next : left;
            waits.add(wait);
            left = left.minus(wait);
            next = next.multipliedBy(2);
        }
        return List.copyOf(waits);
    }

    @Override
    public MappingProtocol protocol() {
        return MappingProtocol.NATPMP;
    }

    @Override
    public GatewayGrant map(int internalPort, Duration lifetime) throws PortMapException {
        NatPmpMessages.ExternalAddressReply address = exchange.exchange(NatPmpMessages.externalAddressRequest(), waits,
                bytes -> Optional.of(NatPmpMessages.decodeExternalAddressReply(bytes)), "NAT-PMP external address");
        if (address.resultCode() != NatPmpMessages.RESULT_SUCCESS) {
            throw refused("external address", address.resultCode());
        }
        if (!(address.address() instanceof Inet4Address) || address.address().isAnyLocalAddress()) {
            throw PortMapException.malformed("NAT-PMP external address " + address.address().getHostAddress());
        }
        NatPmpMessages.MapReply reply = send(internalPort, internalPort, lifetime.toSeconds(), waits);
        if (reply.resultCode() != NatPmpMessages.RESULT_SUCCESS) {
            throw refused("map", reply.resultCode());
        }
        if (reply.externalPort() == 0 || reply.lifetimeSeconds() == 0) {
            throw PortMapException.malformed("NAT-PMP map success without an external port or lifetime");
        }
        return new GatewayGrant(new InetSocketAddress(address.address(), reply.externalPort()), Duration.ofSeconds(reply.lifetimeSeconds()));
    }

    @Override
    public void unmap(int internalPort) throws PortMapException {
        NatPmpMessages.MapReply reply = send(internalPort, 0, 0, waits.subList(0, Math.min(2, waits.size())));
        if (reply.resultCode() != NatPmpMessages.RESULT_SUCCESS) {
            throw refused("delete", reply.resultCode());
        }
    }

    private NatPmpMessages.MapReply send(int internalPort, int externalPort, long lifetimeSeconds, List<Duration> schedule)
            throws PortMapException {
        return exchange.exchange(NatPmpMessages.mapRequest(internalPort, externalPort, lifetimeSeconds), schedule, bytes -> {
            NatPmpMessages.MapReply reply = NatPmpMessages.decodeMapReply(bytes);
            return reply.internalPort() == internalPort ? Optional.of(reply) : Optional.empty();
        }, "NAT-PMP map");
    }

    private static PortMapException refused(String what, int code) {
        return new PortMapException(PortMapException.Kind.REFUSED, "NAT-PMP " + what + " refused: " + NatPmpMessages.resultName(code));
    }
}
