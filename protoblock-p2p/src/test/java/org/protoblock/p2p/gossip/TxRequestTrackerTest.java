package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.protoblock.chain.types.TxId;

class TxRequestTrackerTest {
    private static final long TIMEOUT = 1_000;

    private static TxId tx(int n) {
        byte[] b = new byte[32];
        b[0] = (byte) (n >> 8);
        b[1] = (byte) n;
        return TxId.wrap(b);
    }

    private static TxRequestTracker<String> tracker(int maxAnnouncements, int maxInFlight) {
        return new TxRequestTracker<>(new TxRequestTracker.Limits(maxAnnouncements, maxInFlight, TIMEOUT));
    }

    private static void check(TxRequestTracker<?> t) {
        assertThat(t.sanityCheck()).isEmpty();
    }

    @Test
    void requestsFromTheFirstAnnouncerOnly() {
        TxRequestTracker<String> t = tracker(100, 100);
        t.receivedInv("a", tx(1));
        t.receivedInv("b", tx(1));
        assertThat(t.requestable("b", 0, 10)).isEmpty();
        assertThat(t.requestable("a", 0, 10)).containsExactly(tx(1));
        assertThat(t.requestable("b", 0, 10)).as("already in flight at a").isEmpty();
        assertThat(t.isRequested("a", tx(1))).isTrue();
        check(t);
    }

    @Test
    void timeoutFallsBackToTheNextAnnouncer() {
        TxRequestTracker<String> t = tracker(100, 100);
        t.receivedInv("a", tx(1));
        t.receivedInv("b", tx(1));
        t.requestable("a", 0, 10);
        assertThat(t.expire(TIMEOUT - 1)).isEmpty();
        assertThat(t.expire(TIMEOUT)).containsExactly(new TxRequestTracker.Expired<>("a", tx(1)));
        assertThat(t.requestable("a", TIMEOUT, 10)).as("a had its turn").isEmpty();
        assertThat(t.requestable("b", TIMEOUT, 10)).containsExactly(tx(1));
        check(t);
        t.expire(2 * TIMEOUT);
        assertThat(t.txCount()).as("everyone failed: forgotten").isZero();
        assertThat(t.peerCount()).isZero();
        check(t);
    }

    @Test
    void notFoundFallsBackAndUnsolicitedIsReported() {
        TxRequestTracker<String> t = tracker(100, 100);
        t.receivedInv("a", tx(1));
        t.receivedInv("b", tx(1));
        assertThat(t.receivedResponse("a", tx(1))).as("not requested yet").isFalse();
        t.requestable("a", 0, 10);
        assertThat(t.receivedResponse("b", tx(1))).as("requested from a, not b").isFalse();
        assertThat(t.receivedResponse("a", tx(1))).isTrue();
        assertThat(t.requestable("b", 0, 10)).containsExactly(tx(1));
        check(t);
    }

    @Test
    void repeatedAnnouncementIsIgnoredEvenAfterCompletion() {
        TxRequestTracker<String> t = tracker(100, 100);
        assertThat(t.receivedInv("a", tx(1))).isTrue();
        assertThat(t.receivedInv("a", tx(1))).isFalse();
        t.receivedInv("b", tx(1));
        t.requestable("a", 0, 10);
        t.receivedResponse("a", tx(1));
        assertThat(t.receivedInv("a", tx(1))).isFalse();
        assertThat(t.requestable("a", 0, 10)).isEmpty();
        check(t);
    }

    @Test
    void forgetDropsAllAnnouncers() {
        TxRequestTracker<String> t = tracker(100, 100);
        t.receivedInv("a", tx(1));
        t.receivedInv("b", tx(1));
        t.receivedInv("b", tx(2));
        t.requestable("a", 0, 10);
        t.forgetTxId(tx(1));
        assertThat(t.isTracked(tx(1))).isFalse();
        assertThat(t.inFlight("a")).isZero();
        assertThat(t.announcementCount("a")).isZero();
        assertThat(t.announcementCount("b")).isEqualTo(1);
        assertThat(t.requestable("b", 0, 10)).containsExactly(tx(2));
        check(t);
    }

    @Test
    void disconnectFallsBackAtOnce() {
        TxRequestTracker<String> t = tracker(100, 100);
        t.receivedInv("a", tx(1));
        t.receivedInv("a", tx(2));
        t.receivedInv("b", tx(1));
        t.requestable("a", 0, 10);
        t.disconnectedPeer("a");
        assertThat(t.isTracked(tx(2))).as("only a had announced it").isFalse();
        assertThat(t.requestable("b", 0, 10)).containsExactly(tx(1));
        check(t);
    }

    @Test
    void announcementsBoundedPerPeer() {
        TxRequestTracker<String> t = tracker(3, 100);
        for (int i = 0; i < 5; i++) {
            t.receivedInv("a", tx(i));
        }
        assertThat(t.announcementCount("a")).isEqualTo(3);
        assertThat(t.receivedInv("b", tx(4))).isTrue();
        check(t);
    }

    @Test
    void inFlightBoundedPerPeerAndBusyPeersAreSkipped() {
        TxRequestTracker<String> t = tracker(100, 2);
        for (int i = 0; i < 4; i++) {
            t.receivedInv("a", tx(i));
            t.receivedInv("b", tx(i));
        }
        assertThat(t.requestable("a", 0, 10)).containsExactly(tx(0), tx(1));
        assertThat(t.inFlight("a")).isEqualTo(2);
        // a is full, so b is the best candidate with a free slot for tx 2 and 3.
        assertThat(t.requestable("b", 0, 10)).containsExactly(tx(2), tx(3));
        check(t);
    }

    @Test
    void requestableHonoursMaxAndAnnouncementOrder() {
        TxRequestTracker<String> t = tracker(100, 100);
        for (int i = 5; i > 0; i--) {
            t.receivedInv("a", tx(i));
        }
        assertThat(t.requestable("a", 0, 2)).containsExactly(tx(5), tx(4));
        assertThat(t.requestable("a", 0, 10)).containsExactly(tx(3), tx(2), tx(1));
        check(t);
    }

    @Test
    void unknownPeerHasNothing() {
        TxRequestTracker<String> t = tracker(100, 100);
        assertThat(t.requestable("x", 0, 10)).isEmpty();
        assertThat(t.receivedResponse("x", tx(1))).isFalse();
        t.disconnectedPeer("x");
        t.forgetTxId(tx(1));
        check(t);
    }

    /**
     * Random operations on a few peers and ids, checked after each step against the tracker's own
     * consistency check and against rules observable from outside: one request per id at a time,
     * only to announcers, within bounds, and no id requested twice from the same peer.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void randomizedOperationsKeepTheRules(long seed) {
        Random random = new Random(seed);
        int maxAnnouncements = 1 + random.nextInt(8);
        int maxInFlight = 1 + random.nextInt(4);
        TxRequestTracker<String> t = tracker(maxAnnouncements, maxInFlight);
        List<String> peers = List.of("p0", "p1", "p2", "p3");
        Map<TxId, String> requestedFrom = new HashMap<>();
        Set<String> everRequested = new HashSet<>();
        Map<String, Set<TxId>> announced = new HashMap<>();
        long now = 0;
        for (int step = 0; step < 3_000; step++) {
            String peer = peers.get(random.nextInt(peers.size()));
            TxId id = tx(random.nextInt(12));
            switch (random.nextInt(7)) {
                case 0, 1 -> {
                    if (t.receivedInv(peer, id)) {
                        announced.computeIfAbsent(peer, p -> new HashSet<>()).add(id);
                    }
                }
                case 2 -> {
                    for (TxId r : t.requestable(peer, now, 1 + random.nextInt(4))) {
                        assertThat(announced.getOrDefault(peer, Set.of())).contains(r);
                        assertThat(requestedFrom).doesNotContainKey(r);
                        assertThat(everRequested.add(peer + r)).as("requested twice from one peer").isTrue();
                        requestedFrom.put(r, peer);
                    }
                    assertThat(t.inFlight(peer)).isLessThanOrEqualTo(maxInFlight);
                }
                case 3 -> {
                    boolean wasRequested = peer.equals(requestedFrom.get(id));
                    assertThat(t.receivedResponse(peer, id)).isEqualTo(wasRequested);
                    if (wasRequested) {
                        requestedFrom.remove(id);
                    }
                }
                case 4 -> {
                    now += random.nextInt((int) TIMEOUT);
                    t.expire(now).forEach(e -> assertThat(requestedFrom.remove(e.txId())).isEqualTo(e.peer()));
                }
                case 5 -> {
                    if (random.nextInt(4) == 0) {
                        t.forgetTxId(id);
                        requestedFrom.remove(id);
                        announced.values().forEach(s -> s.remove(id));
                        everRequested.removeIf(k -> k.endsWith(id.toString()));
                    }
                }
                default -> {
                    if (random.nextInt(8) == 0) {
                        t.disconnectedPeer(peer);
                        requestedFrom.values().removeIf(peer::equals);
                        announced.remove(peer);
                        everRequested.removeIf(k -> k.startsWith(peer));
                    }
                }
            }
            assertThat(t.sanityCheck()).as("step %d", step).isEmpty();
            for (int n = 0; n < 12; n++) {
                TxId gone = tx(n);
                if (!t.isTracked(gone)) { // forgotten (all completed): a new announcement starts over
                    announced.values().forEach(s -> s.remove(gone));
                    everRequested.removeIf(k -> k.endsWith(gone.toString()));
                    assertThat(requestedFrom).doesNotContainKey(gone);
                }
            }
            for (String p : peers) {
                assertThat(t.announcementCount(p)).isLessThanOrEqualTo(maxAnnouncements);
            }
        }
    }

    /** Liveness: with every announcer answering "not found", each id is tried at each announcer exactly once, then forgotten. */
    @Test
    void everyAnnouncerIsTriedOnce() {
        TxRequestTracker<String> t = tracker(100, 100);
        List<String> peers = List.of("a", "b", "c");
        for (String p : peers) {
            for (int i = 0; i < 5; i++) {
                t.receivedInv(p, tx(i));
            }
        }
        Map<TxId, List<String>> tried = new HashMap<>();
        for (int round = 0; round < 10; round++) {
            for (String p : peers) {
                for (TxId id : t.requestable(p, 0, 100)) {
                    tried.computeIfAbsent(id, k -> new ArrayList<>()).add(p);
                    t.receivedResponse(p, id);
                }
            }
            check(t);
        }
        assertThat(tried).hasSize(5);
        tried.values().forEach(list -> assertThat(list).containsExactlyInAnyOrderElementsOf(peers));
        assertThat(t.txCount()).isZero();
    }
}
