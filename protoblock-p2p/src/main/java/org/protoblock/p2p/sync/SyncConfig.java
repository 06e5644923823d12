package org.protoblock.p2p.sync;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of sync (client and server side). Every bound and timeout is here so tests can shrink them.
 *
 * @param window               blocks requested ahead of the applied head
 * @param maxBatch             blocks per GetBlocks request, at most
 * @param targetRequestBytes   bytes a GetBlocks response should carry (sets the batch from body sizes)
 * @param maxInFlightPerPeer   GetBlocks requests outstanding per peer
 * @param initialTimeout       a new peer's first request deadline
 * @param minTimeout           adaptive deadlines are clamped to [minTimeout, maxTimeout]
 * @param maxTimeout           …
 * @param minStealAge          a slow request is taken over by an idle peer no earlier than this
 * @param maxBufferedBytes     downloaded bodies held for in-order application, by bytes
 * @param maxHeadersAhead      validated headers kept beyond the applied head (the header chain bound)
 * @param headersTimeout       deadline of a GetHeaders request
 * @param pollInterval         how often each peer is asked for headers beyond our head while idle
 *                             (sync does not rely on gossip to learn that it fell behind)
 * @param tick                 period of the timer (expiry, assignment, progress)
 * @param maxSubmissionsInFlight block batches handed to the chain and not yet applied
 * @param maxBlocksPerSubmission blocks per {@code ChainAccess.submitBlocks} call
 * @param queueCapacity        sync executor: optional work (head announcements) is dropped once half
 *                             as many tasks wait; the rest is bounded by sessions and requests
 * @param serveDelay           test knob: the server answers every request this much later (zero in production)
 * @param maxServeQueue        requests waiting to be served; more are answered BUSY
 * @param maxResponseBytes     payload bytes of one Headers/Blocks response (under the envelope limit)
 */
public record SyncConfig(
        int window,
        int maxBatch,
        long targetRequestBytes,
        int maxInFlightPerPeer,
        Duration initialTimeout,
        Duration minTimeout,
        Duration maxTimeout,
        Duration minStealAge,
        long maxBufferedBytes,
        int maxHeadersAhead,
        Duration headersTimeout,
        Duration pollInterval,
        Duration tick,
        int maxSubmissionsInFlight,
        int maxBlocksPerSubmission,
        int queueCapacity,
        Duration serveDelay,
        int maxServeQueue,
        int maxResponseBytes) {

    /** Headers per GetHeaders response, at most (the wire protocol's bound). */
    public static final int MAX_HEADERS = 2000;
    /** Ids per GetBlocks request, at most; more is a BAD_REQUEST. */
    public static final int MAX_BLOCKS_PER_REQUEST = 128;
    /** Locator entries, at most; more is a BAD_REQUEST (ours has about 10 + log2(height)). */
    public static final int MAX_LOCATOR = 128;

    public SyncConfig {
        Objects.requireNonNull(initialTimeout, "initialTimeout");
        Objects.requireNonNull(minTimeout, "minTimeout");
        Objects.requireNonNull(maxTimeout, "maxTimeout");
        Objects.requireNonNull(minStealAge, "minStealAge");
        Objects.requireNonNull(headersTimeout, "headersTimeout");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(tick, "tick");
        Objects.requireNonNull(serveDelay, "serveDelay");
        if (maxBatch > MAX_BLOCKS_PER_REQUEST || maxHeadersAhead < window + MAX_HEADERS || maxSubmissionsInFlight < 1
                || maxBlocksPerSubmission < 1 || queueCapacity < 16 || maxServeQueue < 1 || maxResponseBytes < 64 * 1024) {
            throw new IllegalArgumentException("bad sync config: " + this);
        }
    }

    public static SyncConfig defaults() {
        return new SyncConfig(1024, 64, 1024 * 1024, 4,
                Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofMillis(500),
                64L * 1024 * 1024, 8192, Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMillis(100),
                3, 128, 4096, Duration.ZERO, 256, 3 * 1024 * 1024);
    }

    public SyncConfig withServeDelay(Duration delay) {
        return new SyncConfig(window, maxBatch, targetRequestBytes, maxInFlightPerPeer, initialTimeout, minTimeout,
                maxTimeout, minStealAge, maxBufferedBytes, maxHeadersAhead, headersTimeout, pollInterval, tick,
                maxSubmissionsInFlight, maxBlocksPerSubmission, queueCapacity, delay, maxServeQueue, maxResponseBytes);
    }

    public SyncConfig withPollInterval(Duration interval) {
        return new SyncConfig(window, maxBatch, targetRequestBytes, maxInFlightPerPeer, initialTimeout, minTimeout,
                maxTimeout, minStealAge, maxBufferedBytes, maxHeadersAhead, headersTimeout, interval, tick,
                maxSubmissionsInFlight, maxBlocksPerSubmission, queueCapacity, serveDelay, maxServeQueue, maxResponseBytes);
    }

    public SyncConfig withTimeouts(Duration initial, Duration min, Duration max) {
        return new SyncConfig(window, maxBatch, targetRequestBytes, maxInFlightPerPeer, initial, min,
                max, minStealAge, maxBufferedBytes, maxHeadersAhead, headersTimeout, pollInterval, tick,
                maxSubmissionsInFlight, maxBlocksPerSubmission, queueCapacity, serveDelay, maxServeQueue, maxResponseBytes);
    }

    public SyncConfig withMaxHeadersAhead(int maxAhead) {
        return new SyncConfig(window, maxBatch, targetRequestBytes, maxInFlightPerPeer, initialTimeout, minTimeout,
                maxTimeout, minStealAge, maxBufferedBytes, maxAhead, headersTimeout, pollInterval, tick,
                maxSubmissionsInFlight, maxBlocksPerSubmission, queueCapacity, serveDelay, maxServeQueue, maxResponseBytes);
    }

    /** The scheduler's view of these settings. */
    public BlockDownloadScheduler.Limits schedulerLimits() {
        return new BlockDownloadScheduler.Limits(window, maxBatch, targetRequestBytes, maxInFlightPerPeer,
                initialTimeout.toNanos(), minTimeout.toNanos(), maxTimeout.toNanos(), minStealAge.toNanos(),
                maxBufferedBytes, maxHeadersAhead);
    }
}
