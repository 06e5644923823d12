package org.protoblock.p2p.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where sync stands, for the node program and the API.
 *
 * @param state           IDLE (nothing known to fetch) or SYNCING
 * @param targetNum       the height sync is heading for (the best header known, or the best peer head)
 * @param appliedNum      our chain's head height
 * @param startNum        our head height when this sync began
 * @param blocksPerSecond applied blocks per second (EWMA over the last few seconds)
 * @param eta             time left at the current rate, when syncing and the rate is known
 */
public record SyncProgress(State state, long targetNum, long appliedNum, long startNum, double blocksPerSecond,
                           Optional<Duration> eta) {
    public enum State { IDLE, SYNCING }

    public static final SyncProgress IDLE = new SyncProgress(State.IDLE, 0, 0, 0, 0, Optional.empty());

    public SyncProgress {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(eta, "eta");
    }

    /** Done share of this sync, 0..100 (100 when idle). */
    public double percent() {
        if (state == State.IDLE || targetNum <= startNum) {
            return 100.0;
        }
        return Math.max(0, Math.min(100.0, 100.0 * (appliedNum - startNum) / (targetNum - startNum)));
    }

    @Override
    public String toString() {
        return state == State.IDLE
                ? "sync idle at #" + appliedNum
                : String.format("syncing #%d/%d (%.1f%%, %.0f blocks/s%s)", appliedNum, targetNum, percent(),
                        blocksPerSecond, eta.map(d -> ", eta " + d.toSeconds() + " s").orElse(""));
    }
}
