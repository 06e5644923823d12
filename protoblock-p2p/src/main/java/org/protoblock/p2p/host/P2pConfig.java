package org.protoblock.p2p.host;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.protoblock.p2p.handshake.ProtocolVersion;
import org.protoblock.p2p.handshake.Service;
import org.protoblock.p2p.session.SessionLimits;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.WireLimits;

/**
 * Settings of a {@link PeerHost}. Every timeout and bound is here so tests can shrink them.
 *
 * @param handshakeTimeout     Noise and Hello together must finish within this
 * @param idleTimeout          a link that reads no byte for this long is closed (pings keep healthy links busy)
 * @param envelopeTimeout      an envelope must arrive whole within this from its first byte (trickling
 *                             bytes resets the idle timer, not this); the default lets 4 MiB through at 70 kB/s
 * @param maxSessions          established sessions, inbound and outbound together
 * @param maxPendingHandshakes links still in their handshake; more inbound ones are dropped on accept
 * @param maxPendingHandshakesPerHost inbound links from one remote host (IPv6: one /64) still in their
 *                             handshake; more from it are dropped on accept (one host cannot take every slot)
 * @param maxPendingHandshakesPerGroup inbound links from one address group (/16 IPv4, /32 IPv6) still in
 *                             their handshake (hosts of a few groups cannot take every slot)
 * @param acceptRate           inbound links accepted per remote host: burst and refill (see {@link HandshakeSlots})
 * @param maxOutboundQueueBytes bytes queued for sending on all sessions together (each session also has its
 *                             own bound); when spent, the sessions holding the most are closed as slow readers
 * @param writeBufferLow       the channel turns writable again below this many queued bytes
 * @param writeBufferHigh      the channel turns unwritable (reads pause) above this many
 * @param advertisedAddresses  addresses announced in Hello besides the ones we listen on
 */
public record P2pConfig(
        ProtocolVersion protocolVersion,
        String agent,
        Set<Service> services,
        int maxEnvelopeBytes,
        Duration connectTimeout,
        Duration handshakeTimeout,
        Duration idleTimeout,
        Duration envelopeTimeout,
        int maxSessions,
        int maxPendingHandshakes,
        int maxPendingHandshakesPerHost,
        int maxPendingHandshakesPerGroup,
        AcceptRate acceptRate,
        long maxOutboundQueueBytes,
        int writeBufferLow,
        int writeBufferHigh,
        SessionLimits session,
        List<PeerAddress> advertisedAddresses) {

    public P2pConfig {
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(envelopeTimeout, "envelopeTimeout");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(acceptRate, "acceptRate");
        services = Set.copyOf(services);
        advertisedAddresses = List.copyOf(advertisedAddresses);
        if (maxSessions < 1 || maxPendingHandshakes < 1 || maxPendingHandshakesPerHost < 1
                || maxPendingHandshakesPerGroup < 1 || maxOutboundQueueBytes < 1 || writeBufferLow < 1
                || writeBufferHigh < writeBufferLow) {
            throw new IllegalArgumentException("bad P2P limits");
        }
    }

    /** A token bucket per remote host: {@code burst} accepts at once, {@code perSecond} on average. */
    public record AcceptRate(int burst, double perSecond) {
        public AcceptRate {
            if (burst < 1 || perSecond < 0) {
                throw new IllegalArgumentException("accept rate: burst ≥ 1, rate ≥ 0");
            }
        }
    }

    public static P2pConfig defaults() {
        return new Builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.protocolVersion = protocolVersion;
        b.agent = agent;
        b.services = services;
        b.maxEnvelopeBytes = maxEnvelopeBytes;
        b.connectTimeout = connectTimeout;
        b.handshakeTimeout = handshakeTimeout;
        b.idleTimeout = idleTimeout;
        b.envelopeTimeout = envelopeTimeout;
        b.maxSessions = maxSessions;
        b.maxPendingHandshakes = maxPendingHandshakes;
        b.maxPendingHandshakesPerHost = maxPendingHandshakesPerHost;
        b.maxPendingHandshakesPerGroup = maxPendingHandshakesPerGroup;
        b.acceptRate = acceptRate;
        b.maxOutboundQueueBytes = maxOutboundQueueBytes;
        b.writeBufferLow = writeBufferLow;
        b.writeBufferHigh = writeBufferHigh;
        b.session = session;
        b.advertisedAddresses = advertisedAddresses;
        return b;
    }

    /** Defaults for a public node; change what a test or a deployment needs. */
    public static final class Builder {
        private ProtocolVersion protocolVersion = ProtocolVersion.DEFAULT;
        private String agent = "protoblock/0.1.0";
        private Set<Service> services = EnumSet.of(Service.FULL);
        private int maxEnvelopeBytes = WireLimits.DEFAULT_MAX_ENVELOPE_BYTES;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration envelopeTimeout = Duration.ofSeconds(60);
        private int maxSessions = 125;
        private int maxPendingHandshakes = 256;
        private int maxPendingHandshakesPerHost = 16;
        private int maxPendingHandshakesPerGroup = 32;
        private AcceptRate acceptRate = new AcceptRate(8, 2);
        private long maxOutboundQueueBytes = 256L << 20;
        private int writeBufferLow = 256 * 1024;
        private int writeBufferHigh = 1024 * 1024;
        private SessionLimits session = SessionLimits.DEFAULT;
        private List<PeerAddress> advertisedAddresses = List.of();

        public Builder protocolVersion(ProtocolVersion v) {
            protocolVersion = v;
            return this;
        }

        public Builder agent(String a) {
            agent = a;
            return this;
        }

        public Builder services(Set<Service> s) {
            services = s;
            return this;
        }

        public Builder maxEnvelopeBytes(int n) {
            maxEnvelopeBytes = n;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            connectTimeout = d;
            return this;
        }

        public Builder handshakeTimeout(Duration d) {
            handshakeTimeout = d;
            return this;
        }

        public Builder idleTimeout(Duration d) {
            idleTimeout = d;
            return this;
        }

        public Builder envelopeTimeout(Duration d) {
            envelopeTimeout = d;
            return this;
        }

        public Builder maxSessions(int n) {
            maxSessions = n;
            return this;
        }

        public Builder maxPendingHandshakes(int n) {
            maxPendingHandshakes = n;
            return this;
        }

        public Builder maxPendingHandshakesPerHost(int n) {
            maxPendingHandshakesPerHost = n;
            return this;
        }

        public Builder maxPendingHandshakesPerGroup(int n) {
            maxPendingHandshakesPerGroup = n;
            return this;
        }

        public Builder acceptRate(AcceptRate rate) {
            acceptRate = rate;
            return this;
        }

        public Builder maxOutboundQueueBytes(long n) {
            maxOutboundQueueBytes = n;
            return this;
        }

        public Builder writeBuffer(int low, int high) {
            writeBufferLow = low;
            writeBufferHigh = high;
            return this;
        }

        public Builder session(SessionLimits s) {
            session = s;
            return this;
        }

        public Builder advertisedAddresses(List<PeerAddress> a) {
            advertisedAddresses = a;
            return this;
        }

        public P2pConfig build() {
            return new P2pConfig(protocolVersion, agent, services, maxEnvelopeBytes, connectTimeout, handshakeTimeout,
                    idleTimeout, envelopeTimeout, maxSessions, maxPendingHandshakes, maxPendingHandshakesPerHost,
                    maxPendingHandshakesPerGroup, acceptRate, maxOutboundQueueBytes, writeBufferLow, writeBufferHigh, session,
                    advertisedAddresses);
        }
    }
}
