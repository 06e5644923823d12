package org.protoblock.p2p.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.identity.NodeId;

class RelayLimitsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final RelayConfig CONFIG = RelayConfig.defaults();

    private static NodeId id(int i) {
        return NodeId.hashOf(new byte[] {(byte) i, (byte) (i >> 8)});
    }

    @Test
    void reservationsAreBoundedInTotalAndPerHostAndARefreshCountsOnce() {
        RelayLimits limits = new RelayLimits(CONFIG);
        for (int i = 0; i < 4; i++) {
            assertThat(limits.reserve(id(i), "10.0.0.1", T0)).isEqualTo(RelayLimits.Outcome.OK);
        }
        assertThat(limits.reserve(id(4), "10.0.0.1", T0)).isEqualTo(RelayLimits.Outcome.RESOURCE_LIMIT);
        // a refresh of a holder is not a new reservation: it moves the expiry
        assertThat(limits.reserve(id(0), "10.0.0.1", T0.plusSeconds(60))).isEqualTo(RelayLimits.Outcome.OK);
        assertThat(limits.expiry(id(0))).contains(T0.plusSeconds(60).plus(CONFIG.reservationTtl()));
        int n = 4;
        for (int host = 2; limits.reservations() < CONFIG.maxReservations(); host++) {
            assertThat(limits.reserve(id(n++), "10.0." + host / 250 + "." + host % 250, T0)).isEqualTo(RelayLimits.Outcome.OK);
        }
        assertThat(limits.reserve(id(n), "10.9.9.9", T0)).isEqualTo(RelayLimits.Outcome.RESOURCE_LIMIT);
        assertThat(limits.sanityCheck()).isEmpty();
    }

    @Test
    void reservationsLapseUnlessRefreshed() {
        RelayLimits limits = new RelayLimits(CONFIG);
        limits.reserve(id(1), "h", T0);
        limits.reserve(id(2), "h", T0);
        Instant half = T0.plus(CONFIG.reservationTtl().dividedBy(2));
        limits.reserve(id(2), "h", half);
        Instant after = T0.plus(CONFIG.reservationTtl());
        assertThat(limits.openCircuit(id(1), after)).isEqualTo(RelayLimits.Outcome.NO_RESERVATION);
        assertThat(limits.openCircuit(id(2), after)).isEqualTo(RelayLimits.Outcome.OK);
        assertThat(limits.reservations()).isEqualTo(1);
    }

    @Test
    void circuitsNeedAReservationAndAreBoundedPerTargetAndInTotal() {
        RelayLimits limits = new RelayLimits(CONFIG);
        assertThat(limits.openCircuit(id(0), T0)).isEqualTo(RelayLimits.Outcome.NO_RESERVATION);
        for (int i = 0; i < 8; i++) {
            limits.reserve(id(i), "host" + i, T0);
        }
        for (int i = 0; i < CONFIG.maxCircuitsPerPeer(); i++) {
            assertThat(limits.openCircuit(id(0), T0)).isEqualTo(RelayLimits.Outcome.OK);
        }
        assertThat(limits.openCircuit(id(0), T0)).isEqualTo(RelayLimits.Outcome.RESOURCE_LIMIT);
        limits.circuitClosed(id(0));
        assertThat(limits.openCircuit(id(0), T0)).isEqualTo(RelayLimits.Outcome.OK);
        for (int t = 1; limits.circuits() < CONFIG.maxCircuits(); t++) {
            for (int k = 0; k < CONFIG.maxCircuitsPerPeer() && limits.circuits() < CONFIG.maxCircuits(); k++) {
                assertThat(limits.openCircuit(id(t), T0)).isEqualTo(RelayLimits.Outcome.OK);
            }
        }
        assertThat(limits.openCircuit(id(7), T0)).isEqualTo(RelayLimits.Outcome.RESOURCE_LIMIT);
        // a dropped reservation leaves its circuits counted until they close
        limits.drop(id(1));
        assertThat(limits.circuits()).isEqualTo(CONFIG.maxCircuits());
        limits.circuitClosed(id(1));
        assertThat(limits.openCircuit(id(7), T0)).isEqualTo(RelayLimits.Outcome.OK);
        assertThat(limits.sanityCheck()).isEmpty();
        assertThatThrownBy(() -> limits.circuitClosed(id(99))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void randomOperationsKeepTheBooksConsistent() {
        Random random = new Random(12);
        RelayLimits limits = new RelayLimits(CONFIG);
        List<NodeId> open = new ArrayList<>();
        Instant now = T0;
        for (int step = 0; step < 20_000; step++) {
            now = now.plus(Duration.ofSeconds(random.nextInt(30)));
            NodeId node = id(random.nextInt(300));
            switch (random.nextInt(4)) {
                case 0 -> limits.reserve(node, "h" + random.nextInt(60), now);
                case 1 -> {
                    if (limits.openCircuit(node, now) == RelayLimits.Outcome.OK) {
                        open.add(node);
                    }
                }
                case 2 -> {
                    if (!open.isEmpty()) {
                        limits.circuitClosed(open.remove(random.nextInt(open.size())));
                    }
                }
                default -> limits.drop(node);
            }
            assertThat(limits.sanityCheck()).isEmpty();
            assertThat(limits.circuits()).isEqualTo(open.size());
        }
    }
}
