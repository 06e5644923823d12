package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.types.TxId;

class DeferredAnnouncementsTest {
    private static final long DELAY = 3_000_000;

    private static TxId tx(int n) {
        byte[] b = new byte[32];
        b[0] = (byte) n;
        b[1] = (byte) (n >> 8);
        return TxId.wrap(b);
    }

    @Test
    void heldIdsGoOutAfterTheDelayInArrivalOrder() {
        DeferredAnnouncements held = new DeferredAnnouncements(DELAY);
        assertThat(held.hold(tx(1), 1_000)).isTrue();
        assertThat(held.hold(tx(2), 2_000)).isTrue();
        assertThat(held.hold(tx(1), 2_500)).as("already held: keeps its first due time").isFalse();

        assertThat(held.nextDueNanos()).isEqualTo(OptionalLong.of(1_000 + DELAY));
        assertThat(held.takeDue(1_000 + DELAY - 1)).isEmpty();
        assertThat(held.takeDue(1_000 + DELAY)).containsExactly(tx(1));
        assertThat(held.takeDue(10 * DELAY)).containsExactly(tx(2));
        assertThat(held.size()).isZero();
        assertThat(held.nextDueNanos()).isEmpty();
    }

    @Test
    void theLeadersAnnouncementCancelsOurs() {
        DeferredAnnouncements held = new DeferredAnnouncements(DELAY);
        held.hold(tx(1), 0);
        held.hold(tx(2), 0);
        held.cancel(tx(1));
        held.cancel(tx(3)); // never held: nothing happens
        assertThat(held.takeDue(DELAY)).containsExactly(tx(2));
    }

    @Test
    void dueTimesAcrossTheNanoTimeWrapStillCompare() {
        DeferredAnnouncements held = new DeferredAnnouncements(DELAY);
        long nearWrap = Long.MAX_VALUE - DELAY / 2;
        held.hold(tx(1), nearWrap);
        assertThat(held.takeDue(nearWrap + DELAY / 4)).isEmpty();
        assertThat(held.takeDue(nearWrap + DELAY)).containsExactly(tx(1));
    }

    @Test
    void exactlyOneEndOfALinkFollows() {
        assertThat(DeferredAnnouncements.follows(5, 3)).isTrue();
        assertThat(DeferredAnnouncements.follows(3, 5)).isFalse();
        assertThat(DeferredAnnouncements.follows(-1, 5)).as("salts compare unsigned").isTrue();
        assertThat(DeferredAnnouncements.follows(5, -1)).isFalse();
        assertThat(DeferredAnnouncements.follows(7, 7)).as("equal salts: nobody follows").isFalse();
    }
}
