package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The waiting rules of {@link ParkedShortIds}: at once on an idle node, one announcer per wave, after the earlier requests otherwise. */
class ParkedShortIdsTest {
    private static final long MAX_WAIT = 500;

    @Test
    void withNothingInFlightAShortIdIsDueAtOnce() {
        ParkedShortIds<String> parked = parked("p");
        assertThat(parked.park("p", 7, 0)).isTrue();
        assertThat(take(parked, 0)).contains("p:[7]");
        assertThat(parked.count("p")).isZero();
    }

    @Test
    void aShortIdParkedWhileAFullIdRequestIsInFlightWaitsForIt() {
        ParkedShortIds<String> parked = parked("p");
        long request = parked.fullIdRequestSent();
        parked.park("p", 7, 10);
        assertThat(take(parked, 20)).isEmpty();
        parked.requestDone(request);
        assertThat(take(parked, 20)).contains("p:[7]");
    }

    @Test
    void oneAnnouncerPerWaveAndTheOthersWaitForIt() {
        ParkedShortIds<String> parked = parked("p", "q");
        parked.park("p", 1, 0); // the same transaction, under p's and q's short ids
        parked.park("q", 9, 0);
        parked.park("p", 2, 0);
        Optional<ParkedShortIds.Wave<String>> first = parked.takeDue(0, 10);
        assertThat(first).isPresent();
        assertThat(first.get().peer()).isEqualTo("p");
        assertThat(first.get().shortIds()).containsExactly(1L, 2L);
        long request = parked.waveSent(first.get());
        assertThat(take(parked, 1)).as("q waits for p's answer").isEmpty();
        assertThat(parked.resolve("q", 9)).as("p's body resolves q's short id").isTrue();
        parked.requestDone(request);
        assertThat(take(parked, 1)).isEmpty();
        assertThat(parked.sanityCheck()).isEmpty();
    }

    @Test
    void aShortIdOlderThanEveryRequestInFlightIsDue() {
        ParkedShortIds<String> parked = parked("p", "q");
        parked.park("q", 9, 0); // older than p's wave, but q had no request slot then (never taken)
        parked.park("p", 1, 0);
        parked.resolve("q", 9);
        parked.park("q", 8, 0);
        ParkedShortIds.Wave<String> p = parked.takeDue(0, 10).orElseThrow();
        assertThat(p.peer()).isEqualTo("p");
        parked.waveSent(p);
        assertThat(take(parked, 0)).as("q's 8 was parked after p's 1").isEmpty();
    }

    @Test
    void aStalledRequestHoldsParkedIdsNoLongerThanTheMaximumWait() {
        ParkedShortIds<String> parked = parked("p");
        parked.fullIdRequestSent(); // never completes (a silent peer, until its timeout)
        parked.park("p", 1, 100);
        parked.park("p", 2, 300);
        assertThat(take(parked, 599)).isEmpty();
        assertThat(take(parked, 600)).contains("p:[1]");
        assertThat(take(parked, 800)).contains("p:[2]");
    }

    @Test
    void aWaveHoldsAtMostMax() {
        ParkedShortIds<String> parked = parked("p");
        for (long sid = 1; sid <= 5; sid++) {
            parked.park("p", sid, 0);
        }
        assertThat(parked.takeDue(0, 3).orElseThrow().shortIds()).containsExactly(1L, 2L, 3L);
        assertThat(parked.takeDue(0, 3).orElseThrow().shortIds()).containsExactly(4L, 5L);
    }

    @Test
    void boundedPerPeerAndOnlyForPeersAdded() {
        ParkedShortIds<String> parked = new ParkedShortIds<>(2, MAX_WAIT);
        assertThat(parked.park("stranger", 1, 0)).isFalse();
        parked.addPeer("p");
        assertThat(parked.park("p", 1, 0)).isTrue();
        assertThat(parked.park("p", 1, 0)).as("already parked").isFalse();
        assertThat(parked.park("p", 2, 0)).isTrue();
        assertThat(parked.park("p", 3, 0)).as("full").isFalse();
        parked.removePeer("p");
        assertThat(parked.count("p")).isZero();
        assertThat(parked.park("p", 4, 0)).as("removed").isFalse();
        assertThat(parked.sanityCheck()).isEmpty();
    }

    /**
     * Randomized: transactions are announced by several peers each (a short id per peer), waves are
     * answered in random order with every body they name; then no transaction is ever in two
     * requests in flight at once (no duplicate body), and every one is fetched or resolved.
     */
    @Test
    void randomAnnouncementsNeverFetchATransactionTwiceAtOnce() {
        List<String> peers = List.of("a", "b", "c", "d", "e");
        for (long seed = 0; seed < 40; seed++) {
            Random random = new Random(seed);
            ParkedShortIds<String> parked = new ParkedShortIds<>(1_000, Long.MAX_VALUE / 4);
            peers.forEach(parked::addPeer);
            Map<String, Map<Long, Integer>> txOf = new HashMap<>(); // peer → short id → transaction
            peers.forEach(p -> txOf.put(p, new HashMap<>()));
            Map<Long, Set<Integer>> inFlight = new HashMap<>(); // request → transactions it fetches
            Set<Integer> fetching = new HashSet<>();
            Set<Integer> held = new HashSet<>();
            List<long[]> announcements = new ArrayList<>(); // {tx, peer index}
            for (int tx = 0; tx < 60; tx++) {
                for (int p = 0; p < peers.size(); p++) {
                    if (random.nextInt(3) > 0) {
                        announcements.add(new long[] {tx, p});
                    }
                }
            }
            java.util.Collections.shuffle(announcements, random);
            int next = 0;
            long sidCounter = 0;
            while (next < announcements.size() || !inFlight.isEmpty()) {
                if (next < announcements.size() && (inFlight.isEmpty() || random.nextBoolean())) {
                    long[] a = announcements.get(next++);
                    int tx = (int) a[0];
                    String peer = peers.get((int) a[1]);
                    if (!held.contains(tx)) {
                        long sid = sidCounter++;
                        txOf.get(peer).put(sid, tx);
                        parked.park(peer, sid, 0);
                    }
                } else {
                    long request = new ArrayList<>(inFlight.keySet()).get(random.nextInt(inFlight.size()));
                    for (int tx : inFlight.remove(request)) {
                        fetching.remove(tx);
                        held.add(tx);
                        for (String p : peers) { // the body resolves every peer's short id of it
                            txOf.get(p).forEach((sid, t) -> {
                                if (t == tx) {
                                    parked.resolve(p, sid);
                                }
                            });
                        }
                    }
                    parked.requestDone(request);
                }
                for (Optional<ParkedShortIds.Wave<String>> w = parked.takeDue(0, 8); w.isPresent(); w = parked.takeDue(0, 8)) {
                    Set<Integer> txs = new HashSet<>();
                    for (long sid : w.get().shortIds()) {
                        int tx = txOf.get(w.get().peer()).get(sid);
                        assertThat(fetching.add(tx) && !held.contains(tx)).as("seed %d: tx %d fetched twice", seed, tx).isTrue();
                        txs.add(tx);
                    }
                    inFlight.put(parked.waveSent(w.get()), txs);
                }
                assertThat(parked.sanityCheck()).isEmpty();
            }
            for (String p : peers) {
                assertThat(parked.count(p)).as("seed %d: all fetched or resolved", seed).isZero();
            }
        }
    }

    private static ParkedShortIds<String> parked(String... peers) {
        ParkedShortIds<String> parked = new ParkedShortIds<>(10, MAX_WAIT);
        for (String p : peers) {
            parked.addPeer(p);
        }
        return parked;
    }

    /** The next wave, sent, as "peer:[short ids]". */
    private static Optional<String> take(ParkedShortIds<String> parked, long now) {
        Optional<ParkedShortIds.Wave<String>> w = parked.takeDue(now, 10);
        w.ifPresent(parked::waveSent);
        return w.map(x -> x.peer() + ":" + x.shortIds());
    }
}
