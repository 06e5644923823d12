package org.protoblock.p2p;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.protoblock.chain.service.Chain;
import org.protoblock.p2p.chain.ChainAccess;
import org.protoblock.p2p.chain.ChainAdapter;
import org.protoblock.p2p.discovery.AddressGroup;
import org.protoblock.p2p.discovery.AddressRules;
import org.protoblock.p2p.discovery.Discovery;
import org.protoblock.p2p.discovery.Misconduct;
import org.protoblock.p2p.discovery.PeerExchange;
import org.protoblock.p2p.gossip.BlockGossip;
import org.protoblock.p2p.gossip.GossipConfig;
import org.protoblock.p2p.gossip.MempoolSync;
import org.protoblock.p2p.gossip.TxGossip;
import org.protoblock.p2p.handshake.Service;
import org.protoblock.p2p.host.P2pConfig;
import org.protoblock.p2p.holepunch.HolePunchConfig;
import org.protoblock.p2p.holepunch.HolePunchService;
import org.protoblock.p2p.holepunch.OwnCandidates;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.nat.PortMapper;
import org.protoblock.p2p.nat.PortMapperConfig;
import org.protoblock.p2p.peer.Ban;
import org.protoblock.p2p.peer.BanManager;
import org.protoblock.p2p.peer.IdDialer;
import org.protoblock.p2p.peer.Misbehaviour;
import org.protoblock.p2p.peer.PeerConfig;
import org.protoblock.p2p.peer.PeerManager;
import org.protoblock.p2p.peer.PeerScores;
import org.protoblock.p2p.peer.PeerStore;
import org.protoblock.p2p.peerstore.ChainStorePeerStore;
import org.protoblock.p2p.protocol.Protocol;
import org.protoblock.p2p.relay.CircuitSwitch;
import org.protoblock.p2p.relay.RelayClient;
import org.protoblock.p2p.relay.RelayConfig;
import org.protoblock.p2p.relay.RelayService;
import org.protoblock.p2p.reachability.DialBackServer;
import org.protoblock.p2p.reachability.Reachability;
import org.protoblock.p2p.reachability.ReachabilityChecker;
import org.protoblock.p2p.session.PeerEvents;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.sync.SyncConfig;
import org.protoblock.p2p.sync.SyncManager;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chain joined to the network: the {@link PeerHost} (links) plus every p2p {@link Protocol}
 * running over it. Integration tests, the simulator and the node program build nodes with it.
 *
 * <p>Ownership: the host owns links; each protocol owns its state on its own executor; the chain
 * owns chain state. This class only wires and closes them, in reverse order of creation.
 *
 * <p>Protocols see the chain only through {@link ChainAccess}; the peer manager alone is handed the
 * chain's store, for the address book and bans it persists there.
 */
public final class P2pNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(P2pNode.class);

    private final Chain chain;
    private final PeerHost host;
    private final PeerScores scores;
    private final P2pMetrics metrics = new P2pMetrics();
    private final List<Protocol> protocols = new ArrayList<>();
    private final List<AutoCloseable> registrations = new ArrayList<>();
    private final TxGossip txGossip;
    private final BlockGossip blockGossip;
    private final SyncManager sync;
    private final BanManager bans;
    private final Discovery discovery;
    private final PeerManager peerManager;
    private final ReachabilityChecker reachability;
    private final PeerConfig peerConfig;
    private final IdDialer idDialer;
    private final RelayClient relayClient;
    private final Optional<RelayService> relayService;
    private final HolePunchService holePunch;
    /** Made by {@link #start} when the gateway is to be asked for a port; closed (mapping deleted) first. */
    private volatile Optional<PortMapper> portMapper = Optional.empty();

    private P2pNode(Chain chain, NodeKey key, Transport transport, P2pConfig config, PeerConfig peerConfig,
                    RelayConfig relay, Optional<CircuitSwitch> circuits, HolePunchConfig punch, GossipConfig gossip) {
        this.chain = chain;
        this.peerConfig = peerConfig;
        PeerEvents events = new PeerEvents();
        ChainAccess access = new ChainAdapter(chain);
        this.host = new PeerHost(key, access, transport, config, events, address -> AddressGroup.of(address).key());
        // Peer management: bans, discovery (address book on its own thread), the peer manager
        // (dialing, admission) asking discovery for addresses; misbehaviour scores end in bans.
        PeerStore peerStore = new ChainStorePeerStore(chain.store());
        Clock clock = Clock.systemUTC();
        this.bans = new BanManager(peerStore, peerConfig.bans(), clock, this::onBans);
        this.discovery = new Discovery(host, peerStore, peerConfig.discovery(), metrics, clock, access.networkId(),
                access.genesisId().toHex(), bans::isBanned, this::onMisconduct);
        this.scores = new PeerScores(bans);
        this.idDialer = new IdDialer(host, discovery.lookup()::find);
        this.peerManager = new PeerManager(host, peerConfig, discovery, bans, metrics, clock, access.networkId(), idDialer::dial);
        // Protocols, in the order they see peer events.
        this.txGossip = new TxGossip(access, scores, metrics, gossip);
        protocols.add(txGossip);
        protocols.add(new MempoolSync(access, txGossip, scores, metrics, gossip));
        this.sync = new SyncManager(access, scores, metrics, SyncConfig.defaults());
        // Announced blocks whose parent we lack go to sync.
        this.blockGossip = new BlockGossip(access, scores, metrics, gossip, sync::onPeerHead, sync::isSyncing);
        protocols.add(blockGossip);
        protocols.add(sync);
        protocols.add(peerManager);
        protocols.add(discovery.exchange());
        protocols.add(discovery.lookup());
        // Reachability: answer others' dial-back requests; check our own addresses (and advertise
        // beyond loopback only what others verified).
        protocols.add(new DialBackServer(host, peerConfig.reachability(), this::onMisconduct, metrics, discovery::dialSucceeded));
        this.reachability = new ReachabilityChecker(host, peerConfig.reachability(), metrics, clock);
        reachability.onVerifiedChange(r -> discovery.exchange().addressesVerified(r.verified()));
        protocols.add(reachability);
        // Circuit relay: serve (with a circuit switch on our port) while public; reserve on relays while not.
        BooleanSupplier serving = () -> relay.serve()
                && (!relay.requirePublic() || reachability.current().state() == Reachability.State.PUBLIC);
        this.relayService = circuits.filter(c -> relay.serve()).map(c -> new RelayService(host.nodeId(), relay, c,
                serving, this::onMisconduct, metrics, clock));
        relayService.ifPresent(service -> {
            protocols.add(service);
            Set<Service> base = Set.copyOf(config.services());
            Set<Service> withRelay = EnumSet.of(Service.RELAY);
            withRelay.addAll(base);
            // Offered until we know we are private, not only once public: a Hello cannot be
            // amended, so peers that linked to us before we were found public would never reserve.
            // A reservation asked too early is refused (NO_RELAY) and asked again at their next tick.
            host.offerServices(() -> relay.requirePublic() && reachability.current().state() == Reachability.State.PRIVATE
                    ? base : withRelay);
        });
        this.relayClient = new RelayClient(host, relay,
                () -> reachability.current().state() != Reachability.State.PUBLIC && !serving.getAsBoolean(),
                discovery.exchange()::relayedAddresses, metrics, clock);
        protocols.add(relayClient);
        idDialer.relayedThrough(relayClient::dial);
        // Hole punching: a relayed link we took is upgraded to a direct one where both NATs allow it.
        this.holePunch = new HolePunchService(host, punch, new OwnCandidates(host, punch.loopbackCandidates()),
                this::onMisconduct, metrics, clock);
        protocols.add(holePunch);
        for (Protocol protocol : protocols) {
            registrations.add(events.register(protocol, protocol.messageTypes()));
        }
    }

    /** A node that dials nobody on its own ({@link PeerConfig#manual()}): for tests that build topologies. */
    public static P2pNode create(Chain chain, NodeKey key, Transport transport, P2pConfig config) {
        return new P2pNode(chain, key, transport, config, PeerConfig.manual(), RelayConfig.off(), Optional.empty(),
                HolePunchConfig.defaults(), GossipConfig.defaults());
    }

    /** A node with peer management as configured ({@link PeerConfig#defaults()} for a public node). */
    public static P2pNode create(Chain chain, NodeKey key, Transport transport, P2pConfig config, PeerConfig peerConfig) {
        return new P2pNode(chain, key, transport, config, peerConfig, RelayConfig.off(), Optional.empty(),
                HolePunchConfig.defaults(), GossipConfig.defaults());
    }

    /**
     * As above, with circuit relay: {@code circuits} is the switch the transport's listeners share
     * their port with (see {@link CircuitSwitch}); without one the node relays for nobody but still
     * reserves on relays and dials through them as {@code relay} says.
     */
    public static P2pNode create(Chain chain, NodeKey key, Transport transport, P2pConfig config, PeerConfig peerConfig,
                                 RelayConfig relay, Optional<CircuitSwitch> circuits) {
        return new P2pNode(chain, key, transport, config, peerConfig, relay, circuits, HolePunchConfig.defaults(),
                GossipConfig.defaults());
    }

    /** As above, with hole punching as {@code punch} says (on by default: {@link HolePunchConfig#defaults()}). */
    public static P2pNode create(Chain chain, NodeKey key, Transport transport, P2pConfig config, PeerConfig peerConfig,
                                 RelayConfig relay, Optional<CircuitSwitch> circuits, HolePunchConfig punch) {
        return new P2pNode(chain, key, transport, config, peerConfig, relay, circuits, punch, GossipConfig.defaults());
    }

    /** A node with peer management as configured and gossip as {@code gossip} says (the simulator slows its timers). */
    public static P2pNode create(Chain chain, NodeKey key, Transport transport, P2pConfig config, PeerConfig peerConfig,
                                 GossipConfig gossip) {
        return new P2pNode(chain, key, transport, config, peerConfig, RelayConfig.off(), Optional.empty(),
                HolePunchConfig.defaults(), gossip);
    }

    private void onBans(List<Ban> made) {
        peerManager.applyBans(made);
    }

    private void onMisconduct(Session session, Misconduct.Kind kind, String detail) {
        scores.penalize(session, Misbehaviour.valueOf(kind.name()), detail);
    }

    /**
     * Starts peer management: anchors, seeds, address book, feelers, LAN beacons. Call after
     * {@link #listen} (so that Hello and beacons carry our listen addresses).
     */
    public void start() {
        discovery.start();
        peerManager.start();
        Optional<Integer> port = mappablePort();
        boolean mapping = peerConfig.reachability().portMapping() && port.isPresent();
        reachability.start(mapping);
        relayClient.start();
        if (mapping) {
            PortMapper mapper = new PortMapper(PortMapperConfig.defaults(), Clock.systemUTC(), reachability::mappingChanged);
            portMapper = Optional.of(mapper);
            mapper.start(port.get());
        }
    }

    /** The port of our first TCP listener that others could reach through a gateway (not loopback-only). */
    private Optional<Integer> mappablePort() {
        return host.listenAddresses().stream()
                .filter(a -> PeerAddress.TCP.equals(a.scheme()) && !AddressRules.isLoopbackHost(a.host()))
                .map(PeerAddress::port).findFirst();
    }

    public CompletableFuture<PeerAddress> listen(PeerAddress address) {
        return host.listen(address);
    }

    public CompletableFuture<Session> dial(PeerAddress address) {
        return host.dial(address);
    }

    /**
     * A session with node {@code id}: the open one, else a dial of the addresses in its signed record
     * (found locally or through peers); fails with {@link org.protoblock.p2p.peer.NodeUnreachableException}
     * saying what was tried.
     */
    public CompletableFuture<Session> dial(NodeId id) {
        return idDialer.dial(id);
    }

    public Chain chain() {
        return chain;
    }

    public PeerHost host() {
        return host;
    }

    public PeerScores scores() {
        return scores;
    }

    public P2pMetrics metrics() {
        return metrics;
    }

    public TxGossip txGossip() {
        return txGossip;
    }

    public BlockGossip blockGossip() {
        return blockGossip;
    }

    /** Chain comparison and headers-first sync; also serves GetHeaders/GetBlocks. */
    public SyncManager sync() {
        return sync;
    }

    /** Connection manager: dialing, admission, bans; {@link PeerManager#operator()} is the node program's peer API. */
    public PeerManager peerManager() {
        return peerManager;
    }

    /** The address book, peer exchange and LAN beacons. */
    public Discovery discovery() {
        return discovery;
    }

    /** Whether others can dial us, at which verified addresses, and our port mapping. */
    public ReachabilityChecker reachability() {
        return reachability;
    }

    /** Reservations we keep on relays and dials through relays. */
    public RelayClient relayClient() {
        return relayClient;
    }

    /** The relay we serve for others, when this node has a circuit switch and relaying is configured. */
    public Optional<RelayService> relayService() {
        return relayService;
    }

    /** Upgrades relayed links to direct ones (DCUtR-style hole punching). */
    public HolePunchService holePunch() {
        return holePunch;
    }

    /** Peer-list gossip (GetPeers/Peers). */
    public PeerExchange peerExchange() {
        return discovery.exchange();
    }

    /** Closes the links first (so no protocol sees new events), then the protocols. The chain stays open: its owner closes it. */
    @Override
    public void close() {
        portMapper.ifPresent(PortMapper::close); // deletes the mapping at the gateway (bounded)
        host.close();
        for (AutoCloseable registration : registrations) {
            try {
                registration.close();
            } catch (Exception e) {
                log.debug("unregister failed", e);
            }
        }
        for (int i = protocols.size() - 1; i >= 0; i--) {
            protocols.get(i).close();
        }
        discovery.close(); // writes the address book and anchors
    }
}
