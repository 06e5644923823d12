package org.protoblock.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.identity.NodeId;

class PeerScoresTest {
    private static final NodeId A = new NodeId("a".repeat(64));
    private static final int STALL = Misbehaviour.STALLING.penalty();

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final PeerScores scores = new PeerScores((node, address, reason) -> { }, clock, PeerScores.DEFAULT_HALF_LIFE);

    @Test
    void anHonestSlowPeerWithOccasionalTimeoutsIsNeverBanned() {
        int max = 0;
        for (int i = 0; i < 50; i++) { // 50 lifetime timeouts, one every 2 minutes
            max = Math.max(max, scores.add(A, STALL));
            clock.advance(Duration.ofMinutes(2));
        }
        assertThat(max).isLessThan(PeerScores.DISCONNECT_THRESHOLD);
    }

    @Test
    void sustainedMisbehaviourStillReachesTheThreshold() {
        int score = 0;
        for (int i = 0; i < 20 && score < PeerScores.DISCONNECT_THRESHOLD; i++) { // one a minute
            score = scores.add(A, STALL);
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(score).isGreaterThanOrEqualTo(PeerScores.DISCONNECT_THRESHOLD);
    }

    @Test
    void aScoreHalvesEveryHalfLifeAndASingleGraveOffenceBansAtOnce() {
        assertThat(scores.add(A, 80)).isEqualTo(80);
        clock.advance(PeerScores.DEFAULT_HALF_LIFE);
        assertThat(scores.score(A)).isEqualTo(40);
        clock.advance(PeerScores.DEFAULT_HALF_LIFE);
        assertThat(scores.score(A)).isEqualTo(20);
        NodeId b = new NodeId("b".repeat(64));
        assertThat(scores.add(b, Misbehaviour.INVALID_BLOCK.penalty())).isGreaterThanOrEqualTo(PeerScores.DISCONNECT_THRESHOLD);
    }
}
