package org.protoblock.p2p.holepunch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.identity.NodeId;

class PunchBackoffTest {
    private final Instant t0 = Instant.parse("2026-11-27T20:00:00Z");
    private final PunchBackoff backoff = new PunchBackoff(Duration.ofMinutes(1), Duration.ofMinutes(5));
    private final NodeId peer = NodeKey.generate().nodeId();

    @Test
    void aNewPeerMayBePunchedAtOnce() {
        assertThat(backoff.allowed(peer, t0)).isTrue();
        assertThat(backoff.retryAt(peer, t0)).isEqualTo(t0);
    }

    @Test
    void eachFailureDoublesTheWaitUpToTheMaximum() {
        Instant now = t0;
        for (Duration expected : new Duration[] {Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4),
                Duration.ofMinutes(5), Duration.ofMinutes(5)}) {
            backoff.failed(peer, now);
            assertThat(backoff.retryAt(peer, now)).isEqualTo(now.plus(expected));
            assertThat(backoff.allowed(peer, now.plus(expected).minusMillis(1))).isFalse();
            now = now.plus(expected);
            assertThat(backoff.allowed(peer, now)).isTrue();
        }
    }

    @Test
    void aSuccessForgetsThePeer() {
        backoff.failed(peer, t0);
        backoff.failed(peer, t0);
        backoff.succeeded(peer);
        assertThat(backoff.allowed(peer, t0)).isTrue();
        backoff.failed(peer, t0);
        assertThat(backoff.retryAt(peer, t0)).isEqualTo(t0.plus(Duration.ofMinutes(1)));
    }

    @Test
    void atMostTheBoundOfPeersIsRememberedTheOldestFailureForgottenFirst() {
        NodeId first = NodeKey.generate().nodeId();
        backoff.failed(first, t0);
        for (int i = 0; i < PunchBackoff.MAX_PEERS; i++) {
            backoff.failed(NodeKey.generate().nodeId(), t0);
        }
        assertThat(backoff.size()).isEqualTo(PunchBackoff.MAX_PEERS);
        assertThat(backoff.allowed(first, t0)).isTrue();
    }
}
