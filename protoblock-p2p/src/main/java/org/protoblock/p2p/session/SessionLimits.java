package org.protoblock.p2p.session;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-session bounds.
 *
 * @param requestTimeout          default time a request waits for its response
 * @param maxRequestsInFlight     requests we may have unanswered at the peer; more are refused locally
 * @param maxInboundRequests      requests the peer may have unanswered at us; one more disconnects it
 * @param maxOutboundQueueBytes   envelope bytes queued for the peer but not yet written to the transport
 * @param slowReaderTimeout       how long the link may stay unwritable before it is closed as SLOW_READER
 * @param pingInterval            how often we ping to measure latency and keep the link alive
 */
public record SessionLimits(
        Duration requestTimeout,
        int maxRequestsInFlight,
        int maxInboundRequests,
        long maxOutboundQueueBytes,
        Duration slowReaderTimeout,
        Duration pingInterval) {

    public static final SessionLimits DEFAULT = new SessionLimits(
            Duration.ofSeconds(30), 64, 64, 16L * 1024 * 1024, Duration.ofSeconds(30), Duration.ofSeconds(15));

    public SessionLimits {
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(slowReaderTimeout, "slowReaderTimeout");
        Objects.requireNonNull(pingInterval, "pingInterval");
        if (maxRequestsInFlight < 1 || maxInboundRequests < 1 || maxOutboundQueueBytes < 64 * 1024) {
            throw new IllegalArgumentException("session limits too small");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero() || pingInterval.isNegative()
                || pingInterval.isZero() || slowReaderTimeout.isNegative() || slowReaderTimeout.isZero()) {
            throw new IllegalArgumentException("session durations must be positive");
        }
    }

    public SessionLimits withRequestTimeout(Duration d) {
        return new SessionLimits(d, maxRequestsInFlight, maxInboundRequests, maxOutboundQueueBytes, slowReaderTimeout, pingInterval);
    }

    public SessionLimits withRequestsInFlight(int outbound, int inbound) {
        return new SessionLimits(requestTimeout, outbound, inbound, maxOutboundQueueBytes, slowReaderTimeout, pingInterval);
    }

    public SessionLimits withOutboundQueue(long bytes, Duration slowReader) {
        return new SessionLimits(requestTimeout, maxRequestsInFlight, maxInboundRequests, bytes, slowReader, pingInterval);
    }

    public SessionLimits withPingInterval(Duration d) {
        return new SessionLimits(requestTimeout, maxRequestsInFlight, maxInboundRequests, maxOutboundQueueBytes, slowReaderTimeout, d);
    }
}
