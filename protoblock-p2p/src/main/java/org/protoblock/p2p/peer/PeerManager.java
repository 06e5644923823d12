package org.protoblock.p2p.peer;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.protoblock.p2p.discovery.AddressSource;
import org.protoblock.p2p.discovery.SeedList;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.protocol.Protocol;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection manager: routes peer events to its parts and runs them on one thread.
 * {@link OutboundDialer} decides whom we dial, {@link InboundAdmission} whom we accept or evict,
 * {@link BanManager} whom we refuse, {@link PeerOperator} is the operator's API; discovery
 * ({@link AddressSource}) supplies addresses and hears how dials went. {@link PeerHost} owns the
 * links.
 *
 * <p>Rules: a banned host's inbound links are closed by the host at accept, before Noise; a banned
 * node's links end once Noise authenticates it, before Hello (and, should a ban race that, on
 * connect); a new ban drops matching links and forgets the node's address.
 *
 * <p>Threads: one {@link OwnedExecutor} ("p2p-peers-…") owns the {@link PeerTable} and the
 * dialer's state; peer events, dial outcomes and operator calls hop onto it. Bounds: the table
 * follows the host's sessions; the rest as in each part.
 */
public final class PeerManager implements Protocol {
    /** How often expired bans leave the store. */
    public static final Duration BAN_SWEEP_INTERVAL = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(PeerManager.class);

    private final PeerHost host;
    private final PeerConfig config;
    private final AddressSource discovery;
    private final BanManager bans;
    private final P2pMetrics metrics;
    private final Clock clock;
    private final OwnedExecutor executor;
    private final PeerTable table = new PeerTable();
    private final InboundAdmission admission;
    private final OutboundDialer dialer;
    private final PeerOperator operator;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private volatile boolean closed;

    /** {@code dialById}: how operator peers named by node id are reached (the {@link IdDialer}). */
    public PeerManager(PeerHost host, PeerConfig config, AddressSource discovery, BanManager bans, P2pMetrics metrics,
                       Clock clock, String networkId, Function<NodeId, CompletableFuture<Session>> dialById) {
        this.host = host;
        this.config = config;
        this.discovery = discovery;
        this.bans = bans;
        this.metrics = metrics;
        this.clock = clock;
        // session events and dial outcomes are bounded by sessions and dials, so executeAlways
        this.executor = new OwnedExecutor("p2p-peers-" + host.nodeId().shortForm(), 1_000);
        host.refuseInbound(address -> counted(bans.isHostBanned(address.host())));
        host.refuseNodes(node -> counted(bans.isBanned(node)));
        List<PeerAddress> seeds = new ArrayList<>(config.dialer().seeds());
        if (config.dialer().useBuiltInSeeds()) {
            SeedList.builtIn(networkId).stream().filter(s -> !seeds.contains(s)).forEach(seeds::add);
        }
        this.admission = new InboundAdmission(config.admission(), table, discovery, metrics, host.transport().scheme(),
                new Random().nextLong());
        this.dialer = new OutboundDialer(host, config.dialer(), seeds, discovery, bans, table, metrics, clock, executor, dialById);
        this.operator = new PeerOperator(host, executor, dialer, table, bans);
        log.info("Node {}: {} bans, {} seeds", host.nodeId().shortForm(), bans.size(), seeds.size());
    }

    /** The host's refusals of banned hosts and nodes count with the ones made here. Any thread. */
    private boolean counted(boolean banned) {
        if (banned) {
            metrics.bannedRefused.increment();
        }
        return banned;
    }

    /** Starts dialing (anchors, targets, feelers) and the ban sweep. Call after listening. */
    public synchronized void start() {
        if (closed || !tasks.isEmpty()) {
            return;
        }
        executor.scheduleEvery(Duration.ZERO, config.dialer().tickInterval(), dialer::tick).ifPresent(tasks::add);
        executor.scheduleEvery(BAN_SWEEP_INTERVAL, BAN_SWEEP_INTERVAL, bans::sweepExpired).ifPresent(tasks::add);
    }

    /** The operator's API. */
    public PeerOperator operator() {
        return operator;
    }

    public BanManager bans() {
        return bans;
    }

    /** New bans (from {@link BanManager}): persist, drop matching links, forget banned nodes. Any thread. */
    public void applyBans(List<Ban> made) {
        onThread(() -> {
            bans.persist(made);
            for (Session s : host.sessions()) {
                if (bans.isBanned(s.nodeId()) || bans.isHostBanned(s.remoteAddress().host())) {
                    s.disconnect(DisconnectReason.MISBEHAVIOUR, "banned");
                }
            }
            for (Ban b : made) {
                b.target().nodeId().ifPresent(discovery::forget);
            }
        });
    }

    // ---- peer events (event loops) ----

    @Override
    public Set<Envelope.BodyCase> messageTypes() {
        // Observed only, to protect useful inbound peers from eviction; gossip owns and answers them.
        return Set.of(Envelope.BodyCase.NEW_BLOCK, Envelope.BodyCase.INVENTORY, Envelope.BodyCase.TX_SHORT_IDS);
    }

    @Override
    public void connected(Session session, Hello remoteHello) {
        onThread(() -> onConnected(session, remoteHello));
    }

    @Override
    public void message(Session session, Envelope envelope) {
        if (envelope.getRequestId() == 0) {
            admission.useful(session.nodeId(), clock.instant());
        }
    }

    @Override
    public void disconnected(Session session, DisconnectReason reason, boolean byUs) {
        onThread(() -> table.remove(session).ifPresent(p -> {
            admission.closed(session.nodeId());
            dialer.closed(p);
        }));
    }

    // ---- on the executor ----

    private void onConnected(Session session, Hello hello) {
        if (!session.isOpen()) {
            return;
        }
        if (bans.refuses(session)) {
            metrics.bannedRefused.increment();
            log.info("Refusing banned peer {} at {}", session.nodeId().shortForm(), session.remoteAddress());
            session.disconnect(DisconnectReason.MISBEHAVIOUR, "banned");
            return;
        }
        if (session.direction() == Direction.INBOUND) {
            admission.admit(session, hello);
        } else {
            dialer.connected(session);
        }
    }

    private void onThread(Runnable task) {
        if (!executor.executeAlways(task)) {
            log.debug("Peer manager task dropped: closed");
        }
    }

    /** Stops the schedule and the thread. After the host closed; discovery writes the book on its own close. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (this) {
            tasks.forEach(t -> t.cancel(false));
        }
        executor.close(Duration.ofSeconds(3));
    }
}
