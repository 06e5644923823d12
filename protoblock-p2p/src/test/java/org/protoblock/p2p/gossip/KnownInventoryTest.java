package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KnownInventoryTest {

    @Test
    void aPeerKnowsWhatItAnnouncedAndIsNotSentItAgain() {
        KnownInventory<String, Integer> known = new KnownInventory<>(10);
        known.addPeer("a");
        known.addPeer("b");
        known.markKnown("a", 1);
        assertThat(known.isKnown("a", 1)).isTrue();
        assertThat(known.isKnown("b", 1)).isFalse();
        assertThat(known.peersLacking(1)).containsExactly("b");
        assertThat(known.peersLacking(2)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void marksForAnAbsentPeerAreIgnoredAndRemovalForgetsEverything() {
        KnownInventory<String, Integer> known = new KnownInventory<>(10);
        known.markKnown("ghost", 1);
        assertThat(known.isKnown("ghost", 1)).isFalse();
        assertThat(known.peers()).isEmpty();
        known.addPeer("a");
        known.markKnown("a", 1);
        known.removePeer("a");
        known.addPeer("a");
        assertThat(known.isKnown("a", 1)).isFalse();
    }

    @Test
    void boundedPerPeerOldestForgottenFirst() {
        KnownInventory<String, Integer> known = new KnownInventory<>(3);
        known.addPeer("a");
        for (int i = 0; i < 5; i++) {
            known.markKnown("a", i);
        }
        assertThat(known.knownCount("a")).isEqualTo(3);
        assertThat(known.isKnown("a", 0)).isFalse();
        assertThat(known.isKnown("a", 1)).isFalse();
        assertThat(known.isKnown("a", 4)).isTrue();
        assertThat(known.sanityCheck()).isEmpty();
    }

    @Test
    void markingAgainRefreshesAnId() {
        KnownInventory<String, Integer> known = new KnownInventory<>(2);
        known.addPeer("a");
        known.markKnown("a", 1);
        known.markKnown("a", 2);
        known.markKnown("a", 1); // 1 is now the newest
        known.markKnown("a", 3); // evicts 2
        assertThat(known.isKnown("a", 1)).isTrue();
        assertThat(known.isKnown("a", 2)).isFalse();
    }

    @Test
    void forgetEverywhereMakesAnIdAnnounceableAgain() {
        KnownInventory<String, Integer> known = new KnownInventory<>(10);
        known.addPeer("a");
        known.addPeer("b");
        known.markKnown("a", 7);
        known.markKnown("b", 7);
        assertThat(known.peersLacking(7)).isEmpty();
        known.forgetEverywhere(7);
        assertThat(known.peersLacking(7)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void boundedIdSetKeepsOrderAndBound() {
        BoundedIdSet<Integer> set = new BoundedIdSet<>(3);
        assertThat(set.add(1)).isTrue();
        assertThat(set.add(2)).isTrue();
        assertThat(set.add(1)).isFalse();
        set.add(3);
        set.add(4);
        assertThat(set.snapshot()).isEqualTo(List.of(1, 3, 4));
        assertThat(set.remove(3)).isTrue();
        assertThat(set.size()).isEqualTo(2);
        set.clear();
        assertThat(set.size()).isZero();
        assertThatThrownBy(() -> new BoundedIdSet<Integer>(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
