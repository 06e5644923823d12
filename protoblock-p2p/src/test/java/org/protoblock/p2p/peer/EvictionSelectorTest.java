package org.protoblock.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.discovery.AddressGroup;
import org.protoblock.p2p.identity.NodeId;

class EvictionSelectorTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private static NodeId id(int n) {
        return NodeId.fromBytes(java.nio.ByteBuffer.allocate(32).putInt(28, n).array());
    }

    private static EvictionCandidate peer(int n, String group, long ageSeconds, Optional<Duration> latency,
                                          Optional<Instant> useful, boolean exempt) {
        return new EvictionCandidate(id(n), new AddressGroup(group), T0.minusSeconds(ageSeconds), latency, useful, exempt);
    }

    @Test
    void nobodyIsEvictedWhenEveryoneIsProtected() {
        List<EvictionCandidate> few = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            few.add(peer(i, "g" + i, 100 + i, Optional.of(Duration.ofMillis(10 + i)), Optional.empty(), false));
        }
        assertThat(EvictionSelector.select(few, 7)).isEmpty();
    }

    @Test
    void aFloodingGroupLosesItsYoungestPeer() {
        List<EvictionCandidate> peers = new ArrayList<>();
        for (int i = 0; i < 20; i++) { // honest, diverse, older
            peers.add(peer(i, "honest" + i, 10_000 + i, Optional.of(Duration.ofMillis(50 + i)), Optional.empty(), false));
        }
        for (int i = 100; i < 140; i++) { // attacker: one group, young, no useful data
            peers.add(peer(i, "attacker", i, Optional.of(Duration.ofMillis(300)), Optional.empty(), false));
        }
        NodeId victim = EvictionSelector.select(peers, 7).orElseThrow();
        assertThat(victim).isEqualTo(id(100)); // youngest of the biggest group
    }

    @Test
    void exemptFastUsefulAndLongLivedPeersAreProtected() {
        Random r = new Random(5);
        for (int round = 0; round < 200; round++) {
            List<EvictionCandidate> peers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                peers.add(peer(i, "g" + r.nextInt(6), r.nextInt(100_000), Optional.of(Duration.ofMillis(100 + r.nextInt(500))),
                        Optional.empty(), false));
            }
            peers.add(peer(1000, "g0", 1, Optional.of(Duration.ofMillis(1)), Optional.empty(), false)); // fastest
            peers.add(peer(1001, "g0", 2, Optional.of(Duration.ofSeconds(2)), Optional.of(T0), false)); // most useful
            peers.add(peer(1002, "g0", 0, Optional.empty(), Optional.empty(), true)); // exempt
            peers.add(peer(1003, "g0", 1_000_000, Optional.of(Duration.ofSeconds(2)), Optional.empty(), false)); // oldest
            NodeId victim = EvictionSelector.select(peers, round).orElseThrow();
            assertThat(victim).isNotIn(id(1000), id(1001), id(1002), id(1003));
        }
    }

    @Test
    void sameInputSameAnswer() {
        List<EvictionCandidate> peers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            peers.add(peer(i, "g" + (i % 5), i * 10L, Optional.empty(), Optional.empty(), false));
        }
        Optional<NodeId> first = EvictionSelector.select(peers, 99);
        List<EvictionCandidate> shuffled = new ArrayList<>(peers);
        java.util.Collections.shuffle(shuffled, new Random(1));
        assertThat(EvictionSelector.select(shuffled, 99)).isEqualTo(first).isPresent();
    }
}
