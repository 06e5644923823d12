package org.protoblock.p2p.nat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Optional;

/**
 * Maps one TCP port with PCP MAP (RFC 6887 §11).
 *
 * <p>Rules: one random nonce per client, reused for renewals and the delete (a PCP server only lets
 * the nonce that made a mapping change or delete it, §11.2); a reply counts only when its opcode,
 * nonce, protocol and internal port match our request (others are skipped); the gateway's
 * external address is accepted as given, private or not. {@code tries} tries of {@code replyTimeout}.
 *
 * <p>Threads: confined to the {@link PortMapper}'s thread (the nonce is its only state).
 */
final class PcpClient implements MappingClient {
    private final UdpExchange exchange;
    private final InetAddress internalAddress;
    private final Duration replyTimeout;
    private final int tries;
    private final byte[] nonce;

    PcpClient(UdpExchange exchange, InetAddress internalAddress, Duration replyTimeout, int tries, SecureRandom random) {
        this.exchange = exchange;
        this.internalAddress = internalAddress;
        this.replyTimeout = replyTimeout;
        this.tries = tries;
        this.nonce = new byte[PcpMessages.NONCE_SIZE];
        random.nextBytes(nonce);
    }

    @Override
    public MappingProtocol protocol() {
        return MappingProtocol.PCP;
    }

    @Override
    public GatewayGrant map(int internalPort, Duration lifetime) throws PortMapException {
        PcpMessages.MapReply reply = send(internalPort, lifetime.toSeconds(), tries);
        if (!reply.success()) {
            throw new PortMapException(PortMapException.Kind.REFUSED, "PCP MAP refused: " + PcpMessages.resultName(reply.resultCode()));
        }
        if (reply.externalPort() == 0 || reply.externalAddress().isAnyLocalAddress()) {
            throw PortMapException.malformed("PCP MAP success without an external address and port");
        }
        return new GatewayGrant(new InetSocketAddress(reply.externalAddress(), reply.externalPort()),
                Duration.ofSeconds(reply.lifetimeSeconds()));
    }

    @Override
    public void unmap(int internalPort) throws PortMapException {
        PcpMessages.MapReply reply = send(internalPort, 0, 1);
        if (!reply.success()) {
            throw new PortMapException(PortMapException.Kind.REFUSED, "PCP delete refused: " + PcpMessages.resultName(reply.resultCode()));
        }
    }

    private PcpMessages.MapReply send(int internalPort, long lifetimeSeconds, int attempts) throws PortMapException {
        byte[] request = PcpMessages.mapRequest(internalAddress, nonce, internalPort, lifetimeSeconds);
        return exchange.exchange(request, Collections.nCopies(attempts, replyTimeout), bytes -> {
            PcpMessages.MapReply reply = PcpMessages.decodeMapReply(bytes);
            boolean ours = Arrays.equals(reply.nonce(), nonce) && reply.protocol() == PcpMessages.PROTOCOL_TCP
                    && reply.internalPort() == internalPort;
            return ours ? Optional.of(reply) : Optional.empty();
        }, "PCP MAP");
    }
}
