package org.protoblock.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.peerstore.InMemoryPeerStore;
import org.protoblock.p2p.transport.PeerAddress;

class BanManagerTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final NodeId A = new NodeId("a".repeat(64));
    private static final BanConfig DAY = new BanConfig(Duration.ofHours(24));

    @Test
    void misbehaviourBansTheNodeAndItsPublicHostButNeverALocalOne() {
        List<Ban> told = new ArrayList<>();
        BanManager bans = new BanManager(new InMemoryPeerStore(), DAY, new MutableClock(T0), told::addAll);
        bans.ban(A, Optional.of(PeerAddress.tcp("8.8.8.8", 9000)), "invalid block");
        assertThat(told).extracting(b -> b.target().text()).containsExactly("node:" + A.hex(), "host:8.8.8.8");
        assertThat(bans.isBanned(A)).isTrue();
        assertThat(bans.isHostBanned("8.8.8.8")).isTrue();

        NodeId b = new NodeId("b".repeat(64));
        bans.ban(b, Optional.of(PeerAddress.tcp("127.0.0.1", 9000)), "spam");
        bans.ban(b, Optional.of(PeerAddress.tcp("192.168.1.5", 9000)), "spam");
        assertThat(bans.isHostBanned("127.0.0.1")).isFalse();
        assertThat(bans.isHostBanned("192.168.1.5")).isFalse();
        assertThat(bans.isBanned(b)).isTrue();

        NodeId relayed = new NodeId("c".repeat(64));
        bans.ban(relayed, Optional.empty(), "misbehaved over a relayed link"); // no host of its own to ban
        assertThat(bans.isBanned(relayed)).isTrue();
        assertThat(bans.list()).hasSize(4);
    }

    @Test
    void anIpv6HostIsBannedByItsSlash64() {
        List<Ban> told = new ArrayList<>();
        BanManager bans = new BanManager(new InMemoryPeerStore(), DAY, new MutableClock(T0), told::addAll);
        bans.ban(A, Optional.of(PeerAddress.tcp("2001:db8:1:2::5", 9000)), "invalid block");
        assertThat(told).extracting(b -> b.target().text()).containsExactly("node:" + A.hex(), "host:2001:db8:1:2::/64");
        assertThat(bans.isHostBanned("2001:db8:1:2::5")).isTrue();
        assertThat(bans.isHostBanned("2001:db8:1:2:ffff:1:2:3")).isTrue(); // same subscriber, new address
        assertThat(bans.isHostBanned("2001:db8:1:3::5")).isFalse();
        assertThat(BanTarget.parse("2001:DB8:1:2:0::/64")).contains(BanTarget.ipv6Subnet("2001:db8:1:2::1").orElseThrow());
    }

    @Test
    void persistedBansSurviveARestartAndExpiredOnesLeaveTheStore() {
        InMemoryPeerStore store = new InMemoryPeerStore();
        MutableClock clock = new MutableClock(T0);
        BanManager bans = new BanManager(store, DAY, clock, made -> { });
        Ban node = bans.ban(BanTarget.node(A), Duration.ofHours(24), "operator");
        Ban host = bans.ban(BanTarget.host("8.8.4.4"), Duration.ofHours(1), "operator");
        bans.persist(List.of(node, host));
        assertThat(store.loadBans()).containsExactlyInAnyOrder(node, host);

        clock.advance(Duration.ofHours(2));
        BanManager restarted = new BanManager(store, DAY, clock, made -> { });
        assertThat(restarted.isBanned(A)).isTrue();
        assertThat(restarted.isHostBanned("8.8.4.4")).isFalse();
        assertThat(store.loadBans()).containsExactly(node); // the expired one was deleted at load

        assertThat(restarted.unban(BanTarget.node(A))).isTrue();
        assertThat(store.loadBans()).isEmpty();
        assertThat(restarted.unban(BanTarget.node(A))).isFalse();
    }

    @Test
    void sweepAndClearRemoveFromTheStore() {
        InMemoryPeerStore store = new InMemoryPeerStore();
        MutableClock clock = new MutableClock(T0);
        BanManager bans = new BanManager(store, DAY, clock, made -> { });
        Ban shortBan = bans.ban(BanTarget.host("1.1.1.1"), Duration.ofMinutes(1), "x");
        Ban longBan = bans.ban(BanTarget.host("2.2.2.2"), Duration.ofHours(1), "x");
        bans.persist(List.of(shortBan, longBan));
        clock.advance(Duration.ofMinutes(2));
        bans.sweepExpired();
        assertThat(store.loadBans()).containsExactly(longBan);
        bans.clear();
        assertThat(store.loadBans()).isEmpty();
        assertThat(bans.list()).isEmpty();
    }

    @Test
    void aNodeTargetNamesItsNode() {
        assertThat(BanTarget.node(A).nodeId()).contains(A);
        assertThat(BanTarget.host("8.8.8.8").nodeId()).isEmpty();
    }
}
