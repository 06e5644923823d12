package org.protoblock.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.peerstore.ChainStorePeerStore;
import org.protoblock.chain.store.InMemoryChainStore;
import org.protoblock.p2p.identity.NodeId;

class BanListTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final NodeId A = new NodeId("a".repeat(64));
    private static final NodeId B = new NodeId("b".repeat(64));

    @Test
    void aBanHoldsUntilItsEndAndIsGoneAfter() {
        MutableClock clock = new MutableClock(T0);
        BanList bans = new BanList(clock);
        bans.ban(BanTarget.node(A), Duration.ofHours(24), "invalid block");
        assertThat(bans.isBanned(A)).isTrue();
        assertThat(bans.isBanned(B)).isFalse();
        clock.advance(Duration.ofHours(23));
        assertThat(bans.isBanned(A)).isTrue();
        clock.advance(Duration.ofHours(1));
        assertThat(bans.isBanned(A)).isFalse();
        assertThat(bans.list()).isEmpty();
        assertThat(bans.sweepExpired()).extracting(Ban::target).containsExactly(BanTarget.node(A));
        assertThat(bans.size()).isZero();
    }

    @Test
    void banningAgainKeepsTheLaterEnd() {
        MutableClock clock = new MutableClock(T0);
        BanList bans = new BanList(clock);
        bans.ban(BanTarget.node(A), Duration.ofHours(24), "first");
        Ban shorter = bans.ban(BanTarget.node(A), Duration.ofHours(1), "second");
        assertThat(shorter.until()).isEqualTo(T0.plus(Duration.ofHours(24)));
        Ban longer = bans.ban(BanTarget.node(A), Duration.ofDays(7), "third");
        assertThat(longer.until()).isEqualTo(T0.plus(Duration.ofDays(7)));
        assertThat(bans.list()).hasSize(1);
    }

    @Test
    void hostsAndNodesAreSeparateTargetsAndUnbanWorks() {
        BanList bans = new BanList(new MutableClock(T0));
        bans.ban(BanTarget.host("1.2.3.4"), Duration.ofHours(1), "manual");
        assertThat(bans.isHostBanned("1.2.3.4")).isTrue();
        assertThat(bans.isHostBanned("1.2.3.5")).isFalse();
        assertThat(bans.unban(BanTarget.host("1.2.3.4"))).isTrue();
        assertThat(bans.unban(BanTarget.host("1.2.3.4"))).isFalse();
        assertThat(bans.isHostBanned("1.2.3.4")).isFalse();
    }

    @Test
    void boundedDroppingTheSoonestToEnd() {
        MutableClock clock = new MutableClock(T0);
        BanList bans = new BanList(clock);
        for (int i = 0; i < BanList.MAX_BANS; i++) {
            bans.ban(BanTarget.host("10.0." + (i / 250) + "." + (i % 250)), Duration.ofHours(1).plusSeconds(i), "x");
        }
        bans.ban(BanTarget.node(A), Duration.ofDays(1), "newest");
        assertThat(bans.size()).isEqualTo(BanList.MAX_BANS);
        assertThat(bans.isBanned(A)).isTrue();
        assertThat(bans.isHostBanned("10.0.0.0")).isFalse(); // ended soonest: dropped
        assertThat(bans.isHostBanned("10.0.0.1")).isTrue();
    }

    @Test
    void persistenceRoundTripDropsExpired() {
        MutableClock clock = new MutableClock(T0);
        try (InMemoryChainStore store = new InMemoryChainStore()) {
            BanStore banStore = new ChainStorePeerStore(store);
            BanList bans = new BanList(clock);
            Ban a = bans.ban(BanTarget.node(A), Duration.ofHours(24), "invalid headers");
            Ban h = bans.ban(BanTarget.host("8.8.8.8"), Duration.ofHours(1), "spam");
            banStore.saveBan(a);
            banStore.saveBan(h);

            List<Ban> loaded = banStore.loadBans();
            assertThat(loaded).containsExactlyInAnyOrder(a, h);

            clock.advance(Duration.ofHours(2));
            BanList restarted = new BanList(clock);
            loaded.forEach(restarted::restore);
            assertThat(restarted.isBanned(A)).isTrue();
            assertThat(restarted.isHostBanned("8.8.8.8")).isFalse();
            assertThat(restarted.list()).extracting(Ban::reason).containsExactly("invalid headers");

            banStore.deleteBans(List.of(h.target()));
            assertThat(banStore.loadBans()).containsExactly(a);
        }
    }

    @Test
    void targetsParseFromApiText() {
        assertThat(BanTarget.parse("a".repeat(64))).contains(BanTarget.node(A));
        assertThat(BanTarget.parse("node:" + "a".repeat(64))).contains(BanTarget.node(A));
        assertThat(BanTarget.parse("1.2.3.4")).contains(BanTarget.host("1.2.3.4"));
        assertThat(BanTarget.parse("host:1.2.3.4")).contains(BanTarget.host("1.2.3.4"));
        assertThat(BanTarget.parse("node:xyz")).isEmpty();
        assertThat(BanTarget.parse(" ")).isEmpty();
    }
}
