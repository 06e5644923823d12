package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.protoblock.p2p.discovery.AddressBook.AddOutcome;
import org.protoblock.p2p.discovery.AddressBook.GoodOutcome;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.peerstore.StoredAddresses;
import org.protoblock.p2p.transport.PeerAddress;

class AddressBookTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final byte[] SECRET = new byte[32];
    private static final AddressGroup SOURCE = new AddressGroup("v4:8.8");

    private static AddressBook book(AddressBook.Limits limits, long seed) {
        return new AddressBook(SECRET, limits, new Random(seed));
    }

    private static AddressBook book() {
        return book(AddressBook.Limits.defaults(), 1);
    }

    static NodeId id(int n) {
        return NodeId.fromBytes(java.nio.ByteBuffer.allocate(32).putInt(28, n).array());
    }

    private static PeerAddress addr(int a, int b, int c, int d) {
        return PeerAddress.tcp(a + "." + b + "." + c + "." + d, 8125);
    }

    @Test
    void addedEntriesStartInNewAndAreSnapshotted() {
        AddressBook book = book();
        assertThat(book.add(id(1), addr(1, 2, 3, 4), T0, SOURCE, T0)).isEqualTo(AddOutcome.ADDED);
        KnownPeer p = book.get(id(1)).orElseThrow();
        assertThat(p.address()).isEqualTo(addr(1, 2, 3, 4));
        assertThat(p.tried()).isFalse();
        assertThat(p.sourceGroup()).isEqualTo(SOURCE);
        assertThat(book.newCount()).isEqualTo(1);
        assertThat(book.triedCount()).isZero();
        assertThat(book.sanityCheck()).isEmpty();
    }

    @Test
    void hearsayNeverOverwritesAnAddressOnlyRefreshesLastSeen() {
        AddressBook book = book();
        book.add(id(1), addr(1, 2, 3, 4), T0, SOURCE, T0);
        assertThat(book.add(id(1), addr(9, 9, 9, 9), T0.plusSeconds(60), SOURCE, T0.plusSeconds(60))).isEqualTo(AddOutcome.KNOWN);
        assertThat(book.get(id(1)).orElseThrow().address()).isEqualTo(addr(1, 2, 3, 4));
        assertThat(book.add(id(1), addr(1, 2, 3, 4), T0.plusSeconds(60), SOURCE, T0.plusSeconds(60))).isEqualTo(AddOutcome.REFRESHED);
        assertThat(book.get(id(1)).orElseThrow().lastSeen()).isEqualTo(T0.plusSeconds(60));
        assertThat(book.add(id(1), addr(1, 2, 3, 4), T0, SOURCE, T0.plusSeconds(90))).isEqualTo(AddOutcome.KNOWN);
    }

    @Test
    void verifiedEntriesAreNeverChangedByHearsay() {
        AddressBook book = book();
        assertThat(book.good(id(1), addr(1, 2, 3, 4), T0)).isEqualTo(GoodOutcome.MOVED_TO_TRIED);
        assertThat(book.add(id(1), addr(6, 6, 6, 6), T0.plusSeconds(5), SOURCE, T0.plusSeconds(5))).isEqualTo(AddOutcome.KNOWN);
        KnownPeer p = book.get(id(1)).orElseThrow();
        assertThat(p.tried()).isTrue();
        assertThat(p.address()).isEqualTo(addr(1, 2, 3, 4));
        assertThat(book.sanityCheck()).isEmpty();
    }

    @Test
    void aFailedUnverifiedAddressIsRedirectedByAnotherSource() {
        AddressBook book = book();
        AddressGroup lan = new AddressGroup("v4:192.0");
        AddressGroup exchange = new AddressGroup("v4:127.0");
        book.add(id(1), addr(192, 0, 2, 2), T0, lan, T0);
        book.attempt(id(1), T0.plusSeconds(1), false); // connection refused
        Instant later = T0.plusSeconds(2);
        assertThat(book.add(id(1), addr(127, 0, 0, 1), later, exchange, later)).isEqualTo(AddOutcome.REDIRECTED);
        KnownPeer p = book.get(id(1)).orElseThrow();
        assertThat(p.address()).isEqualTo(addr(127, 0, 0, 1));
        assertThat(p.sourceGroup()).isEqualTo(exchange);
        assertThat(p.attempts()).isZero();
        assertThat(p.lastTry()).isEmpty();
        assertThat(p.tried()).isFalse();
        assertThat(book.sanityCheck()).isEmpty();
    }

    @Test
    void redirectionNeedsAFailureAndAnotherSourceGroup() {
        AddressBook book = book();
        AddressGroup lan = new AddressGroup("v4:192.0");
        book.add(id(1), addr(192, 0, 2, 2), T0, lan, T0);
        // working as far as we know (never dialed): a flood cannot move it
        assertThat(book.add(id(1), addr(6, 6, 6, 6), T0, SOURCE, T0)).isEqualTo(AddOutcome.KNOWN);
        book.attempt(id(1), T0.plusSeconds(1), false);
        // the source that told us the failed address cannot move it either
        assertThat(book.add(id(1), addr(6, 6, 6, 6), T0, lan, T0.plusSeconds(2))).isEqualTo(AddOutcome.KNOWN);
        assertThat(book.get(id(1)).orElseThrow().address()).isEqualTo(addr(192, 0, 2, 2));
        assertThat(book.sanityCheck()).isEmpty();
    }

    @Test
    void verifiedOrOnceWorkingEntriesAreNeverRedirected() {
        AddressBook book = book();
        book.good(id(1), addr(1, 2, 3, 4), T0);
        book.attempt(id(1), T0.plusSeconds(60), false);
        assertThat(book.add(id(1), addr(6, 6, 6, 6), T0, SOURCE, T0.plusSeconds(61))).isEqualTo(AddOutcome.KNOWN);
        assertThat(book.get(id(1)).orElseThrow().address()).isEqualTo(addr(1, 2, 3, 4));
        assertThat(book.get(id(1)).orElseThrow().tried()).isTrue();

        // a tried entry evicted back to new keeps its last success: still not redirectable
        KnownPeer once = new KnownPeer(id(2), addr(1, 2, 3, 5), new AddressGroup("v4:1.2"), T0, Optional.of(T0),
                Optional.of(T0.minusSeconds(60)), 1, false);
        assertThat(book.restore(once, T0)).isTrue();
        assertThat(book.add(id(2), addr(6, 6, 6, 7), T0, SOURCE, T0.plusSeconds(1))).isEqualTo(AddOutcome.KNOWN);
        assertThat(book.get(id(2)).orElseThrow().address()).isEqualTo(addr(1, 2, 3, 5));
        assertThat(book.sanityCheck()).isEmpty();
    }

    @Test
    void ourOwnVerificationMovesToTriedAndMayChangeTheAddress() {
        AddressBook book = book();
        book.add(id(1), addr(1, 2, 3, 4), T0, SOURCE, T0);
        assertThat(book.good(id(1), addr(5, 6, 7, 8), T0.plusSeconds(1))).isEqualTo(GoodOutcome.MOVED_TO_TRIED);
        KnownPeer p = book.get(id(1)).orElseThrow();
        assertThat(p.address()).isEqualTo(addr(5, 6, 7, 8));
        assertThat(p.tried()).isTrue();
        assertThat(p.attempts()).isZero();
        assertThat(p.lastSuccess()).contains(T0.plusSeconds(1));
        assertThat(book.good(id(1), addr(5, 6, 7, 8), T0.plusSeconds(2))).isEqualTo(GoodOutcome.ALREADY_TRIED);
        assertThat(book.newCount()).isZero();
        assertThat(book.triedCount()).isEqualTo(1);
        assertThat(book.sanityCheck()).isEmpty();
    }

    @Test
    void oneSourceCannotFillMoreThanItsBucketsOfTheNewTable() {
        AddressBook book = book();
        AddressBook.Limits l = book.limits();
        int bound = l.newBucketsPerSourceGroup() * l.bucketSize();
        for (int i = 0; i < 100_000; i++) {
            book.add(id(i), addr(1 + i % 200, (i / 200) % 250, i % 7, 1), T0, SOURCE, T0);
        }
        assertThat(book.newCount()).isLessThanOrEqualTo(bound).isGreaterThan(bound / 2);
        assertThat(book.sanityCheck()).isEmpty();
        // Another source still finds room.
        int before = book.newCount();
        for (int i = 0; i < 100; i++) {
            book.add(id(1_000_000 + i), addr(50, i, 1, 1), T0, new AddressGroup("v4:9.9"), T0);
        }
        assertThat(book.newCount() - before).isGreaterThan(50);
    }

    @Test
    void oneGroupCannotFillMoreThanItsBucketsOfTheTriedTable() {
        AddressBook book = book();
        AddressBook.Limits l = book.limits();
        for (int i = 0; i < 5_000; i++) {
            book.good(id(i), addr(7, 7, i / 250, i % 250 + 1), T0);
        }
        assertThat(book.triedCount()).isLessThanOrEqualTo(l.triedBucketsPerGroup() * l.bucketSize());
        assertThat(book.size()).isLessThanOrEqualTo(l.capacity());
        assertThat(book.sanityCheck()).isEmpty();
    }

    @Test
    void newCollisionReplacesOnlyATerribleOccupant() {
        AddressBook book = book(new AddressBook.Limits(1, 1, 1, 1, 1, 10), 1);
        Instant now = T0.plus(Duration.ofDays(60));
        assertThat(book.add(id(1), addr(1, 1, 1, 1), now, SOURCE, now)).isEqualTo(AddOutcome.ADDED);
        assertThat(book.add(id(2), addr(2, 2, 2, 2), now, SOURCE, now)).isEqualTo(AddOutcome.COLLISION);
        assertThat(book.contains(id(1))).isTrue();

        AddressBook stale = book(new AddressBook.Limits(1, 1, 1, 1, 1, 10), 1);
        stale.add(id(1), addr(1, 1, 1, 1), now.minus(Duration.ofDays(31)), SOURCE, now);
        assertThat(stale.add(id(2), addr(2, 2, 2, 2), now, SOURCE, now)).isEqualTo(AddOutcome.ADDED);
        assertThat(stale.contains(id(1))).isFalse();
        assertThat(stale.sanityCheck()).isEmpty();
    }

    /** Tried has a single slot: every second verified node collides. */
    private static AddressBook oneTriedSlot() {
        return book(new AddressBook.Limits(4, 1, 1, 1, 1, 10), 3);
    }

    @Test
    void triedCollisionKeepsTheOccupantWhenItAnswersTheTest() {
        AddressBook book = oneTriedSlot();
        book.good(id(1), addr(1, 1, 1, 1), T0);
        Instant later = T0.plus(Duration.ofHours(5));
        assertThat(book.good(id(2), addr(2, 2, 2, 2), later)).isEqualTo(GoodOutcome.COLLISION);
        assertThat(book.get(id(2)).orElseThrow().tried()).isFalse();
        assertThat(book.collisionCount()).isEqualTo(1);
        book.resolveCollisions(later);
        assertThat(book.collisionCount()).isEqualTo(1); // no verdict yet
        assertThat(book.selectTriedCollision().map(KnownPeer::nodeId)).contains(id(1));

        book.good(id(1), addr(1, 1, 1, 1), later.plusSeconds(10)); // the test dial succeeded
        book.resolveCollisions(later.plusSeconds(11));
        assertThat(book.collisionCount()).isZero();
        assertThat(book.get(id(1)).orElseThrow().tried()).isTrue();
        assertThat(book.get(id(2)).orElseThrow().tried()).isFalse();
        assertThat(book.sanityCheck()).isEmpty();
    }

    @Test
    void triedCollisionEvictsAnOccupantThatFailedTheTest() {
        AddressBook book = oneTriedSlot();
        book.good(id(1), addr(1, 1, 1, 1), T0);
        Instant later = T0.plus(Duration.ofHours(5));
        book.good(id(2), addr(2, 2, 2, 2), later);
        book.attempt(id(1), later.plusSeconds(5), true); // failed feeler: tried entries are kept
        book.resolveCollisions(later.plusSeconds(30));
        assertThat(book.collisionCount()).isEqualTo(1); // gives it a minute
        book.resolveCollisions(later.plusSeconds(70));
        assertThat(book.collisionCount()).isZero();
        assertThat(book.get(id(2)).orElseThrow().tried()).isTrue();
        Optional<KnownPeer> old = book.get(id(1));
        old.ifPresent(p -> assertThat(p.tried()).isFalse());
        assertThat(book.sanityCheck()).isEmpty();
    }

    @Test
    void triedCollisionWithoutVerdictEvictsAfterTheTestWindow() {
        AddressBook book = oneTriedSlot();
        book.good(id(1), addr(1, 1, 1, 1), T0);
        Instant later = T0.plus(Duration.ofHours(5));
        book.good(id(2), addr(2, 2, 2, 2), later);
        book.resolveCollisions(later.plus(Duration.ofMinutes(39)));
        assertThat(book.collisionCount()).isEqualTo(1);
        book.resolveCollisions(later.plus(Duration.ofMinutes(41)));
        assertThat(book.collisionCount()).isZero();
        assertThat(book.get(id(2)).orElseThrow().tried()).isTrue();
    }

    @Test
    void recentlyGoodOccupantWinsAtOnce() {
        AddressBook book = oneTriedSlot();
        book.good(id(1), addr(1, 1, 1, 1), T0);
        book.good(id(2), addr(2, 2, 2, 2), T0.plusSeconds(60));
        book.resolveCollisions(T0.plusSeconds(61));
        assertThat(book.collisionCount()).isZero();
        assertThat(book.get(id(1)).orElseThrow().tried()).isTrue();
        assertThat(book.get(id(2)).orElseThrow().tried()).isFalse();
    }

    @Test
    void failedAttemptsDropUnverifiedEntriesFeelersAtOnce() {
        AddressBook book = book();
        book.add(id(1), addr(1, 1, 1, 1), T0, SOURCE, T0);
        book.add(id(2), addr(2, 2, 2, 2), T0, SOURCE, T0);
        book.good(id(3), addr(3, 3, 3, 3), T0);
        book.attempt(id(1), T0.plusSeconds(1), true);
        assertThat(book.contains(id(1))).isFalse();
        for (int i = 1; i < AddressBook.RETRIES; i++) {
            book.attempt(id(2), T0.plusSeconds(i), false);
            assertThat(book.contains(id(2))).isTrue();
        }
        book.attempt(id(2), T0.plusSeconds(10), false);
        assertThat(book.contains(id(2))).isFalse();
        for (int i = 0; i < 20; i++) {
            book.attempt(id(3), T0.plusSeconds(20 + i), true);
        }
        assertThat(book.get(id(3)).orElseThrow().attempts()).isEqualTo(20);
        assertThat(book.sanityCheck()).isEmpty();
    }

    @Test
    void futureLastSeenIsClampedAndFarFutureReadsAsStale() {
        AddressBook book = book();
        book.add(id(1), addr(1, 1, 1, 1), T0.plusSeconds(120), SOURCE, T0);
        assertThat(book.get(id(1)).orElseThrow().lastSeen()).isEqualTo(T0);
        book.add(id(2), addr(2, 2, 2, 2), T0.plus(Duration.ofDays(365)), SOURCE, T0);
        assertThat(book.get(id(2)).orElseThrow().lastSeen()).isEqualTo(T0.minus(Duration.ofDays(5)));
    }

    @Test
    void selectHonoursEligibilityAndTables() {
        AddressBook book = book();
        for (int i = 0; i < 20; i++) {
            book.add(id(i), addr(10 + i, 1, 1, 1), T0, SOURCE, T0);
        }
        for (int i = 20; i < 30; i++) {
            book.good(id(i), addr(10 + i, 1, 1, 1), T0);
        }
        assertThat(book.select(false, T0, p -> false)).isEmpty();
        for (int i = 0; i < 200; i++) {
            assertThat(book.select(true, T0.plus(Duration.ofHours(1)), p -> true).orElseThrow().tried()).isFalse();
            KnownPeer only = book.select(false, T0.plus(Duration.ofHours(1)), p -> p.nodeId().equals(id(25))).orElseThrow();
            assertThat(only.nodeId()).isEqualTo(id(25));
        }
        Map<Boolean, Integer> tables = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            book.select(false, T0.plus(Duration.ofHours(1)), p -> true).ifPresent(p -> tables.merge(p.tried(), 1, Integer::sum));
        }
        assertThat(tables.get(true)).isBetween(800, 1200);
    }

    @Test
    void sampleSkipsTerribleEntriesAndIsBounded() {
        AddressBook book = book();
        for (int i = 0; i < 50; i++) {
            book.add(id(i), addr(10 + i, 1, 1, 1), i < 10 ? T0.minus(Duration.ofDays(40)) : T0, SOURCE, T0);
        }
        List<KnownPeer> sample = book.sample(1000, T0);
        assertThat(sample).hasSize(book.size() - 10);
        assertThat(sample).allMatch(p -> p.lastSeen().equals(T0));
        assertThat(book.sample(5, T0)).hasSize(5);
    }

    @Test
    void restoreRoundTripKeepsTables() {
        AddressBook book = book();
        for (int i = 0; i < 100; i++) {
            book.add(id(i), addr(10 + i, i, 1, 1), T0, new AddressGroup("v4:" + i + ".1"), T0);
        }
        for (int i = 0; i < 100; i += 3) {
            book.good(id(i), addr(10 + i, i, 1, 1), T0.plusSeconds(i));
        }
        AddressBook copy = book();
        for (KnownPeer p : book.entries()) {
            assertThat(copy.restore(StoredAddresses.decode(StoredAddresses.encode(p)).orElseThrow(), T0)).isTrue();
        }
        assertThat(copy.newCount()).isEqualTo(book.newCount());
        assertThat(copy.triedCount()).isEqualTo(book.triedCount());
        assertThat(copy.entries()).containsExactlyInAnyOrderElementsOf(book.entries());
        assertThat(copy.sanityCheck()).isEmpty();
    }

    /** Random operations with a consistency check after each; bounds must hold throughout. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2025})
    void randomizedOperationsKeepEveryInvariant(long seed) {
        Random r = new Random(seed);
        AddressBook.Limits limits = new AddressBook.Limits(8, 4, 4, 2, 2, 3);
        AddressBook book = book(limits, seed);
        Instant now = T0;
        List<NodeId> ids = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            now = now.plusSeconds(r.nextInt(120));
            NodeId id = ids.isEmpty() || r.nextInt(3) == 0 ? id(r.nextInt(500)) : ids.get(r.nextInt(ids.size()));
            PeerAddress a = addr(1 + r.nextInt(6), r.nextInt(4), r.nextInt(3), 1 + r.nextInt(3));
            switch (r.nextInt(9)) {
                case 0, 1, 2 -> {
                    book.add(id, a, now.minusSeconds(r.nextInt(100_000)), new AddressGroup("s" + r.nextInt(5)), now);
                    ids.add(id);
                }
                case 3 -> book.good(id, r.nextBoolean() ? a : book.get(id).map(KnownPeer::address).orElse(a), now);
                case 4 -> book.attempt(id, now, r.nextBoolean());
                case 5 -> book.resolveCollisions(now);
                case 6 -> book.select(r.nextBoolean(), now, p -> r.nextInt(4) != 0)
                        .ifPresent(p -> assertThat(book.contains(p.nodeId())).isTrue());
                case 7 -> book.selectTriedCollision().ifPresent(p -> assertThat(p.tried()).isTrue());
                default -> {
                    if (r.nextInt(5) == 0) {
                        book.remove(id);
                    } else {
                        book.seen(id, now);
                    }
                }
            }
            if (ids.size() > 1000) {
                ids.subList(0, 500).clear();
            }
            List<String> problems = book.sanityCheck();
            assertThat(problems).as("step %d", step).isEmpty();
            assertThat(book.size()).isLessThanOrEqualTo(limits.capacity());
            assertThat(book.collisionCount()).isLessThanOrEqualTo(limits.maxCollisions());
        }
    }
}
