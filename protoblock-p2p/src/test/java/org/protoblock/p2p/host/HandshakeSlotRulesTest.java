package org.protoblock.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.session.Direction;

/** The accept rules of {@link HandshakeSlots} on a driven clock. */
class HandshakeSlotRulesTest {
    private static final long SECOND = 1_000_000_000L;

    private static HandshakeSlots slots(int total, int perHost, int perGroup, int burst, double perSecond) {
        return new HandshakeSlots(P2pConfig.builder().maxPendingHandshakes(total).maxPendingHandshakesPerHost(perHost)
                .maxPendingHandshakesPerGroup(perGroup).acceptRate(new P2pConfig.AcceptRate(burst, perSecond)).build());
    }

    private static Optional<HandshakeSlots.Inbound> from(String host, String group) {
        return Optional.of(new HandshakeSlots.Inbound(host, group, true));
    }

    @Test
    void aHostGetsItsBurstThenOneAcceptPerInterval() {
        HandshakeSlots slots = slots(100, 100, 100, 3, 1);
        for (int i = 0; i < 3; i++) {
            assertThat(slots.tryStart(Direction.INBOUND, from("a", "g"), 0)).isEmpty();
        }
        assertThat(slots.tryStart(Direction.INBOUND, from("a", "g"), 0)).isPresent();
        assertThat(slots.tryStart(Direction.INBOUND, from("b", "g"), 0)).as("another host").isEmpty();
        assertThat(slots.tryStart(Direction.INBOUND, from("a", "g"), SECOND / 2)).isPresent();
        assertThat(slots.tryStart(Direction.INBOUND, from("a", "g"), SECOND)).isEmpty();
        assertThat(slots.tryStart(Direction.INBOUND, from("a", "g"), SECOND)).isPresent();
        assertThat(slots.tryStart(Direction.INBOUND, from("a", "g"), 10 * SECOND)).isEmpty(); // refilled, capped at the burst
        assertThat(slots.pending()).isEqualTo(6);
    }

    @Test
    void aGroupIsCappedAndSettledSlotsComeBack() {
        HandshakeSlots slots = slots(100, 100, 2, 10, 10);
        assertThat(slots.tryStart(Direction.INBOUND, from("a", "g"), 0)).isEmpty();
        assertThat(slots.tryStart(Direction.INBOUND, from("b", "g"), 0)).isEmpty();
        assertThat(slots.tryStart(Direction.INBOUND, from("c", "g"), 0)).isPresent();
        assertThat(slots.tryStart(Direction.INBOUND, from("c", "h"), 0)).isEmpty();
        slots.settled(from("a", "g"));
        assertThat(slots.tryStart(Direction.INBOUND, from("c", "g"), 0)).isEmpty();
    }

    @Test
    void outboundHandshakesCountButAreNeverRefused() {
        HandshakeSlots slots = slots(1, 1, 1, 1, 0);
        assertThat(slots.tryStart(Direction.OUTBOUND, Optional.empty(), 0)).isEmpty();
        assertThat(slots.tryStart(Direction.OUTBOUND, Optional.empty(), 0)).isEmpty();
        assertThat(slots.tryStart(Direction.INBOUND, Optional.of(new HandshakeSlots.Inbound("a", "g", false)), 0)).isPresent();
        assertThat(slots.tryStart(Direction.INBOUND, Optional.empty(), 0)).as("no address: the total cap still holds").isPresent();
        assertThat(slots.pending()).isEqualTo(2);
    }
}
