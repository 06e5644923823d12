package org.protoblock.p2p.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.types.BlockId;
import org.protoblock.p2p.sync.BlockDownloadScheduler.Delivered;
import org.protoblock.p2p.sync.BlockDownloadScheduler.Ready;
import org.protoblock.p2p.sync.BlockDownloadScheduler.Request;
import org.protoblock.p2p.sync.BlockDownloadScheduler.ResponseStatus;
import org.protoblock.p2p.sync.BlockDownloadScheduler.Wanted;

/** The rules of {@link BlockDownloadScheduler}, one by one, then seeded random runs against its sanity check. */
class BlockDownloadSchedulerTest {
    private static final long MS = 1_000_000L;
    private static final int BODY = 1000;

    /** window 16, batch ≤ 4 (4 at 1000-byte bodies: target 4500 bytes), 2 in flight, timeouts 100..1000 ms. */
    private static BlockDownloadScheduler.Limits limits(long maxBufferedBytes) {
        return new BlockDownloadScheduler.Limits(16, 4, 4 * BODY + BODY / 2, 2, 400 * MS, 100 * MS, 1000 * MS, 50 * MS,
                maxBufferedBytes, 64);
    }

    private BlockDownloadScheduler<String, String> s = new BlockDownloadScheduler<>(limits(1 << 20), 0);

    @AfterEach
    void consistent() {
        assertThat(s.sanityCheck()).isEmpty();
    }

    static BlockId id(long num) {
        return BlockId.wrap(ByteBuffer.allocate(32).putLong(num).array());
    }

    private static List<BlockId> ids(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(BlockDownloadSchedulerTest::id).toList();
    }

    private static List<Long> nums(Request<String> r) {
        return r.blocks().stream().map(Wanted::num).toList();
    }

    private static List<Delivered<String>> bodies(Request<String> r, int count) {
        return r.blocks().stream().limit(count).map(w -> new Delivered<>(w.id(), "b" + w.num(), BODY)).toList();
    }

    /** Warms the batch size up to its byte-derived value (bodies of BODY bytes). */
    private void warm() {
        BlockDownloadScheduler<String, String> w = s;
        for (int i = 0; i < 60; i++) {
            w.extend(List.of(id(w.tip() + 1)));
            w.setAvailable("warm", w.tip());
            Request<String> r = w.assign(0).get(0);
            w.onResponse(r.id(), bodies(r, r.blocks().size()), false, 0);
            w.drainReady(100, Long.MAX_VALUE).forEach(x -> w.applied(x.num()));
        }
        w.removePeer("warm");
    }

    @Test
    void requestsLowestNumsFirstInBatchesWithinTheWindow() {
        warm();
        long b = s.base();
        s.extend(ids(b + 1, b + 40));
        s.setAvailable("a", b + 40);
        List<Request<String>> requests = s.assign(0);
        assertThat(requests).hasSize(2); // 2 in flight per peer
        assertThat(nums(requests.get(0))).containsExactly(b + 1, b + 2, b + 3, b + 4);
        assertThat(nums(requests.get(1))).containsExactly(b + 5, b + 6, b + 7, b + 8);
        s.setAvailable("c", b + 40);
        s.setAvailable("d", b + 40);
        s.setAvailable("e", b + 40);
        List<Request<String>> more = s.assign(0);
        assertThat(more.stream().flatMap(r -> nums(r).stream()).max(Long::compare)).contains(b + 16); // window 16
        assertThat(more.stream().mapToInt(r -> r.blocks().size()).sum()).isEqualTo(8);
    }

    @Test
    void asksOnlyPeersThatHaveTheBlocks() {
        s.extend(ids(1, 10));
        s.setAvailable("short", 2);
        List<Request<String>> requests = s.assign(0);
        assertThat(requests.stream().flatMap(r -> nums(r).stream())).containsExactly(1L, 2L);
        assertThat(s.assign(0)).isEmpty();
        s.setAvailable("long", 10);
        assertThat(s.assign(0)).allMatch(r -> r.peer().equals("long") && nums(r).get(0) >= 3);
    }

    @Test
    void batchSizeFollowsBodySize() {
        assertThat(s.batchSize()).isEqualTo(1); // initial guess of 16 KiB per body: 4500 / 16384 → at least 1
        warm();
        assertThat(s.batchSize()).isEqualTo(4); // 1000-byte bodies: 4500 / 1000, clamped to maxBatch 4
    }

    @Test
    void aPrefixIsAcceptedAndTheRestIsAskedAgain() {
        warm();
        long b = s.base();
        s.extend(ids(b + 1, b + 4));
        s.setAvailable("a", b + 4);
        Request<String> r = s.assign(0).get(0);
        var result = s.onResponse(r.id(), bodies(r, 2), true, 10 * MS);
        assertThat(result.status()).isEqualTo(ResponseStatus.ACCEPTED);
        assertThat(result.accepted()).isEqualTo(2);
        assertThat(s.availableUpTo("a")).isEqualTo(b + 4); // truncated: the peer still has them
        assertThat(nums(s.assign(10 * MS).get(0))).containsExactly(b + 3, b + 4);
    }

    @Test
    void aPeerThatLacksABlockIsNotAskedForItAgain() {
        s.extend(ids(1, 4));
        s.setAvailable("a", 4);
        s.setAvailable("b", 4);
        Request<String> r = s.assign(0).stream().filter(x -> x.peer().equals("a")).findFirst().orElseThrow();
        s.onResponse(r.id(), bodies(r, 0), false, MS);
        assertThat(s.availableUpTo("a")).isEqualTo(nums(r).get(0) - 1);
        s.setAvailable("c", 4);
        Request<String> q = s.assign(MS).get(0);
        assertThat(q.peer()).isEqualTo("c");
        assertThat(nums(q)).containsExactly(nums(r).get(0));
    }

    @Test
    void notFoundIsAnEmptyUntruncatedAnswer() {
        s.extend(ids(1, 4));
        s.setAvailable("a", 4);
        Request<String> r = s.assign(0).get(0);
        assertThat(s.onNotFound(r.id(), MS).status()).isEqualTo(ResponseStatus.ACCEPTED);
        assertThat(s.availableUpTo("a")).isEqualTo(0);
        assertThat(s.assign(MS)).isEmpty();
    }

    @Test
    void wrongOrderWrongIdsOrTooManyAreMismatchesAndEverythingIsAskedAgain() {
        warm();
        long b = s.base();
        s.extend(ids(b + 1, b + 8));
        s.setAvailable("a", b + 8);
        List<Request<String>> rs = s.assign(0);
        Request<String> r1 = rs.get(0);
        Request<String> r2 = rs.get(1);
        List<Delivered<String>> swapped = new ArrayList<>(bodies(r1, 2));
        java.util.Collections.reverse(swapped);
        assertThat(s.onResponse(r1.id(), swapped, false, MS).status()).isEqualTo(ResponseStatus.MISMATCHED);
        List<Delivered<String>> tooMany = new ArrayList<>(bodies(r2, 4));
        tooMany.add(new Delivered<>(id(999), "x", BODY));
        assertThat(s.onResponse(r2.id(), tooMany, false, MS).status()).isEqualTo(ResponseStatus.MISMATCHED);
        assertThat(s.receivedCount()).isZero();
        assertThat(s.assign(MS).stream().mapToInt(r -> r.blocks().size()).sum()).isEqualTo(8);
    }

    @Test
    void aLateAnswerToAnExpiredRequestIsStale() {
        s.extend(ids(1, 2));
        s.setAvailable("a", 2);
        Request<String> r = s.assign(0).get(0);
        assertThat(r.deadlineNanos()).isEqualTo(400 * MS); // 4 × (400/4) ms
        assertThat(s.expire(399 * MS)).isEmpty();
        assertThat(s.expire(400 * MS)).contains(r);
        assertThat(s.onResponse(r.id(), bodies(r, 2), false, 150 * MS).status()).isEqualTo(ResponseStatus.STALE);
        assertThat(s.receivedCount()).isZero();
    }

    @Test
    void aTimedOutPeerIsOnProbationWithALongerDeadline() {
        s.extend(ids(1, 40));
        s.setAvailable("a", 40);
        assertThat(s.assign(0)).hasSize(2);
        s.expire(1000 * MS);
        List<Request<String>> retry = s.assign(1000 * MS);
        assertThat(retry).hasSize(1); // probation: one at a time
        assertThat(retry.get(0).deadlineNanos() - retry.get(0).sentAtNanos()).isEqualTo(800 * MS); // ewma doubled: 200 ms × 4
        s.onResponse(retry.get(0).id(), bodies(retry.get(0), 1), false, 1010 * MS);
        assertThat(s.assign(1010 * MS)).hasSize(2); // answered: off probation
    }

    @Test
    void adaptiveTimeoutsFollowResponseTimesWithinTheClamp() {
        s.extend(ids(1, 60));
        s.setAvailable("fast", 60);
        long now = 0;
        for (int i = 0; i < 20; i++) {
            for (Request<String> r : s.assign(now)) {
                s.onResponse(r.id(), bodies(r, r.blocks().size()), false, now + MS);
            }
            now += 2 * MS;
            s.drainReady(100, Long.MAX_VALUE).forEach(x -> s.applied(x.num()));
        }
        assertThat(s.timeoutNanos("fast")).isEqualTo(100 * MS); // 4 × ~1 ms, clamped to the minimum
    }

    @Test
    void aLeavingPeersWorkGoesToOthers() {
        s.extend(ids(1, 8));
        s.setAvailable("a", 8);
        s.assign(0);
        s.removePeer("a");
        assertThat(s.inFlight("a")).isZero();
        s.setAvailable("b", 8);
        List<Request<String>> taken = s.assign(0);
        assertThat(taken).allMatch(r -> r.peer().equals("b"));
        assertThat(taken.stream().flatMap(r -> nums(r).stream())).containsExactly(1L, 2L);
    }

    @Test
    void anIdlePeerTakesOverTheRequestThatHoldsTheWindowUp() {
        s.extend(ids(1, 2));
        s.setAvailable("slow", 2);
        Request<String> stuck = s.assign(0).get(0);
        assertThat(nums(stuck)).contains(1L);
        s.setAvailable("fast", 2);
        assertThat(s.assign(10 * MS)).allMatch(r -> !nums(r).contains(1L)); // too young to steal
        List<Request<String>> stolen = s.assign(400 * MS);
        Request<String> taken = stolen.stream().filter(r -> nums(r).contains(1L)).findFirst().orElseThrow();
        assertThat(taken.peer()).isEqualTo("fast");
        assertThat(s.onResponse(stuck.id(), bodies(stuck, 1), false, 500 * MS).status()).isEqualTo(ResponseStatus.STALE);
        assertThat(s.timeoutNanos("slow")).isGreaterThanOrEqualTo(s.timeoutNanos("fast"));
    }

    @Test
    void bodiesAreHandedOutInOrderAndTheBaseMovesOverAppliedOnes() {
        warm();
        long b = s.base();
        s.extend(ids(b + 1, b + 8));
        s.setAvailable("a", b + 8);
        List<Request<String>> rs = s.assign(0);
        s.onResponse(rs.get(1).id(), bodies(rs.get(1), 4), false, MS); // b+5..b+8 first
        assertThat(s.drainReady(100, Long.MAX_VALUE)).isEmpty();
        s.onResponse(rs.get(0).id(), bodies(rs.get(0), 4), false, MS);
        List<Ready<String, String>> ready = s.drainReady(3, Long.MAX_VALUE);
        assertThat(ready).extracting(Ready::num).containsExactly(b + 1, b + 2, b + 3);
        assertThat(ready).allMatch(x -> x.servedBy().equals("a"));
        List<Ready<String, String>> rest = s.drainReady(100, 2 * BODY); // byte bound
        assertThat(rest).extracting(Ready::num).containsExactly(b + 4, b + 5);
        s.applied(b + 2);
        assertThat(s.base()).isEqualTo(b); // b+1 not yet
        s.applied(b + 1);
        assertThat(s.base()).isEqualTo(b + 2);
    }

    @Test
    void aBlockTheChainRefusedIsFetchedAgainAndNothingAfterItIsSubmittedFirst() {
        s.extend(ids(1, 3));
        s.setAvailable("a", 3);
        while (s.receivedCount() < 3) {
            for (Request<String> r : s.assign(0)) {
                s.onResponse(r.id(), bodies(r, r.blocks().size()), false, MS);
            }
        }
        List<Ready<String, String>> ready = s.drainReady(100, Long.MAX_VALUE);
        assertThat(ready).hasSize(3);
        s.applied(1);
        s.requeue(2);
        s.requeue(3);
        assertThat(s.drainReady(100, Long.MAX_VALUE)).isEmpty();
        s.setAvailable("honest", 3);
        List<Request<String>> again = s.assign(2 * MS);
        assertThat(again.stream().flatMap(r -> nums(r).stream())).containsExactlyInAnyOrder(2L, 3L);
    }

    @Test
    void bodiesFromAPeerCaughtCheatingAreDroppedAndFetchedAgain() {
        s.extend(ids(1, 4));
        s.setAvailable("liar", 4);
        while (s.receivedCount() < 4) {
            for (Request<String> r : s.assign(0)) {
                s.onResponse(r.id(), bodies(r, r.blocks().size()), false, MS);
            }
        }
        assertThat(s.drainReady(1, Long.MAX_VALUE)).hasSize(1);
        assertThat(s.discardBodiesFrom("liar")).isEqualTo(3);
        assertThat(s.heldBytes()).isEqualTo(BODY); // the submitted one stays until the chain answers
        s.removePeer("liar");
        s.setAvailable("honest", 4);
        assertThat(s.assign(MS).stream().flatMap(r -> nums(r).stream())).containsExactly(2L, 3L);
    }

    @Test
    void whenMemoryIsFullOnlyGapsBelowTheHeldBodiesAreRequested() {
        s = new BlockDownloadScheduler<>(limits(3 * BODY), 0);
        s.extend(ids(1, 10));
        s.setAvailable("a", 10);
        List<Request<String>> rs = s.assign(0); // [1], [2] (batch 1 at the initial size guess)
        assertThat(rs).extracting(r -> nums(r).get(0)).containsExactly(1L, 2L);
        s.onResponse(rs.get(1).id(), bodies(rs.get(1), 1), false, MS);
        Request<String> r3 = s.assign(MS).get(0);
        s.onResponse(r3.id(), bodies(r3, 1), false, MS);
        Request<String> r4 = s.assign(MS).get(0);
        s.onResponse(r4.id(), bodies(r4, 1), false, MS); // holds 2, 3, 4: full
        s.onFailure(rs.get(0).id()); // 1 is MISSING again
        List<Request<String>> next = s.assign(MS);
        assertThat(next.stream().flatMap(r -> nums(r).stream())).containsExactly(1L); // the gap only
    }

    @Test
    void theHeaderChainIsBounded() {
        assertThat(s.headerRoom()).isEqualTo(64);
        s.extend(ids(1, 64));
        assertThat(s.headerRoom()).isZero();
        assertThatThrownBy(() -> s.extend(List.of(id(65)))).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Random peers (fast, slow, lying, leaving, lacking) and random events; after every step the
     * sanity check holds, and with the honest peers left the target is reached.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomRunsStayConsistentAndComplete(long seed) {
        Random random = new Random(seed);
        s = new BlockDownloadScheduler<>(limits(8 * BODY), 0);
        int target = 150;
        List<String> names = List.of("p0", "p1", "p2", "p3", "p4");
        Map<Long, Request<String>> open = new HashMap<>();
        long now = 0;
        s.extend(ids(1, 40));
        for (String n : names) {
            s.setAvailable(n, random.nextInt(target + 1));
        }
        s.setAvailable("honest", target);
        for (int step = 0; step < 20_000 && !(s.isComplete() && s.tip() == target); step++) {
            now += random.nextInt(20) * MS;
            int action = random.nextInt(10);
            if (s.headerRoom() > 0 && s.tip() < target && random.nextInt(4) == 0) {
                int n = (int) Math.min(Math.min(s.headerRoom(), target - s.tip()), 1 + random.nextInt(20));
                s.extend(ids(s.tip() + 1, s.tip() + n));
            }
            for (Request<String> r : s.assign(now)) {
                open.put(r.id(), r);
            }
            if (!open.isEmpty() && action < 6) {
                Request<String> r = new ArrayList<>(open.values()).get(random.nextInt(open.size()));
                open.remove(r.id());
                int mode = r.peer().equals("honest") ? 0 : random.nextInt(5);
                switch (mode) {
                    case 0 -> s.onResponse(r.id(), bodies(r, r.blocks().size()), false, now);
                    case 1 -> s.onResponse(r.id(), bodies(r, random.nextInt(r.blocks().size() + 1)), random.nextBoolean(), now);
                    case 2 -> s.onResponse(r.id(), List.of(new Delivered<>(id(10_000), "bad", BODY)), false, now);
                    case 3 -> s.onFailure(r.id());
                    default -> { } // never answered: expires
                }
            } else if (action == 6) {
                s.expire(now).forEach(r -> open.remove(r.id()));
            } else if (action == 7) {
                for (Ready<String, String> ready : s.drainReady(1 + random.nextInt(10), Long.MAX_VALUE)) {
                    if (!ready.servedBy().equals("honest") && random.nextInt(10) == 0) {
                        s.requeue(ready.num()); // the chain refused it
                    } else {
                        s.applied(ready.num());
                    }
                }
            } else if (action == 8) {
                String n = names.get(random.nextInt(names.size()));
                if (random.nextBoolean()) {
                    s.removePeer(n);
                } else {
                    s.setAvailable(n, random.nextInt(target + 1));
                }
            } else {
                now += 500 * MS;
                s.expire(now).forEach(r -> open.remove(r.id()));
            }
            assertThat(s.sanityCheck()).as("seed %d step %d", seed, step).isEmpty();
        }
        assertThat(s.tip()).isEqualTo(target);
        assertThat(s.isComplete()).as("seed %d: base %d", seed, s.base()).isTrue();
    }
}
