package org.protoblock.p2p.peer;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.protoblock.p2p.discovery.AddressRules;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bans: the {@link BanList}, its {@link BanStore} and what a ban does.
 *
 * <p>Rules:
 * <ul>
 *   <li>Misbehaviour ({@link PeerScores} → {@link #ban(NodeId, PeerAddress, String)}) bans the node id,
 *       and the host when it is public (a LAN or loopback host is shared by bystanders), for
 *       {@code banDuration}; an IPv6 host is banned by its /64 (one subscriber's allocation).</li>
 *   <li>A new ban goes to {@code effects} (the peer manager: persist it, drop matching links, forget
 *       the node's address), which hops onto its own thread: bans come from event loops, and store
 *       writes sync to disk.</li>
 *   <li>Bans persist; expired ones are dropped at load and by {@link #sweepExpired}.</li>
 * </ul>
 *
 * <p>Threads: the list is thread-safe; {@link #persist} and {@link #sweepExpired} run on the peer
 * manager's thread, operator removals ({@link #unban}, {@link #clear}) on the caller's (never an
 * event loop).
 */
public final class BanManager implements BanHook {
    private static final Logger log = LoggerFactory.getLogger(BanManager.class);

    private final BanList bans;
    private final BanStore store;
    private final BanConfig config;
    private final Consumer<List<Ban>> effects;

    /** Loads the stored bans (deleting expired ones); {@code effects} is told of each new ban. */
    public BanManager(BanStore store, BanConfig config, Clock clock, Consumer<List<Ban>> effects) {
        this.bans = new BanList(clock);
        this.store = store;
        this.config = config;
        this.effects = effects;
        List<BanTarget> expired = new ArrayList<>();
        store.loadBans().forEach(b -> {
            if (!bans.restore(b)) {
                expired.add(b.target());
            }
        });
        store.deleteBans(expired);
    }

    /** From {@link PeerScores}: bans the node (and its public host) for {@code banDuration}. */
    @Override
    public void ban(NodeId node, Optional<PeerAddress> peerAddress, String reason) {
        List<Ban> made = new ArrayList<>();
        made.add(bans.ban(BanTarget.node(node), config.banDuration(), reason));
        peerAddress.filter(a -> PeerAddress.TCP.equals(a.scheme()) && !AddressRules.isLocalHost(a.host())).ifPresent(a -> {
            BanTarget host = BanTarget.ipv6Subnet(a.host()).orElse(BanTarget.host(a.host()));
            made.add(bans.ban(host, config.banDuration(), reason));
        });
        log.info("Banned {} for {}: {}", made.stream().map(b -> b.target().text()).toList(), config.banDuration(), reason);
        effects.accept(made);
    }

    /** {@code setban add}: bans a node id or host; persisted and applied through {@code effects}. */
    public Ban ban(BanTarget target, Duration duration, String reason) {
        Ban ban = bans.ban(target, duration, reason);
        effects.accept(List.of(ban));
        return ban;
    }

    /** {@code setban remove}. */
    public boolean unban(BanTarget target) {
        boolean removed = bans.unban(target);
        if (removed) {
            store.deleteBans(List.of(target));
        }
        return removed;
    }

    /** {@code clearbanned}. */
    public void clear() {
        store.deleteBans(bans.clear().stream().map(Ban::target).toList());
    }

    /** {@code listbanned}. */
    public List<Ban> list() {
        return bans.list();
    }

    public int size() {
        return bans.size();
    }

    public boolean isBanned(NodeId node) {
        return bans.isBanned(node);
    }

    public boolean isHostBanned(String host) {
        return bans.isHostBanned(host);
    }

    /** A linked peer we must drop: its node is banned, or (inbound) its host. */
    public boolean refuses(Session session) {
        return bans.isBanned(session.nodeId())
                || (session.direction() == Direction.INBOUND && bans.isHostBanned(session.remoteAddress().host()));
    }

    /** Writes new bans. On the peer manager's thread. */
    void persist(List<Ban> made) {
        made.forEach(store::saveBan);
    }

    /** Drops expired bans from the list and the store. On the peer manager's thread. */
    void sweepExpired() {
        store.deleteBans(bans.sweepExpired().stream().map(Ban::target).toList());
    }
}
