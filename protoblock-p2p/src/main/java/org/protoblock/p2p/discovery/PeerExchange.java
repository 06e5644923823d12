package org.protoblock.p2p.discovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.protoblock.chain.concurrent.OwnedExecutor;
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
import org.protoblock.p2p.wire.proto.ErrorResponse;
import org.protoblock.p2p.wire.proto.GetPeers;
import org.protoblock.p2p.wire.proto.PeerRecord;
import org.protoblock.p2p.wire.proto.Peers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peer-list gossip (like CometBFT's PEX reactor): {@code GetPeers} / {@code Peers}.
 *
 * <p>Rules:
 * <ul>
 *   <li>The dialer asks ({@link #requestPeers}) once on each outbound link but feelers, and
 *       again when it runs out of addresses. Answers bigger than asked are a
 *       MISMATCHED_RESPONSE. Rationale: outbound peers are ones we chose; inbound ones may be anyone.</li>
 *   <li>We answer GetPeers through a per-peer token bucket (burst {@code getPeersBurst}, refill
 *       {@code getPeersRefillPerSecond}); beyond it we answer BUSY, and every tenth refusal scores SPAM.
 *       An answer is a random sample of non-terrible book entries, at most {@code maxPeersPerResponse}.</li>
 *   <li>Unsolicited {@code Peers} pass a second per-peer bucket (burst {@code addressBurst}, refill
 *       {@code addressRefillPerSecond}, Bitcoin's 1000 and 0.1/s): records beyond it are ignored, a message
 *       arriving with the bucket empty scores SPAM, more than {@link DiscoveryConfig#MAX_PEERS_PER_MESSAGE}
 *       records in one message scores MALFORMED. Rationale: the check runs on the event loop, so a flood
 *       costs us a counter, and only rate-limited work reaches the address book's thread.</li>
 *   <li>After each outbound handshake (but a feeler's) we send the peer our own record
 *       ({@link #advertiseSelfTo}), as Bitcoin Core's nodes do, so a node that just started becomes
 *       known before anyone dialed it; only addresses that peer can dial: no wildcard host (replaced by
 *       our host as {@link ExternalAddressVotes} chooses it from outbound peers' "you are", or left
 *       out), no loopback host to a peer that is not on loopback.
 *       A reachable node (one that has accepted an inbound link) also sends its record to every peer
 *       each {@code advertiseInterval}.</li>
 *   <li>Small unsolicited messages (≤ 10 records) that bring a fresh (seen within 10 min) record new
 *       to our book, or a node's record of itself sent by that node, are relayed to
 *       {@code relayFanout} random other peers: relayed, not flooded; a known record relayed by
 *       someone else stops there. The receiver's book holds such an address in its new table until
 *       a dial (outbound or feeler) verifies it.</li>
 *   <li>Signed records ({@link SignedRecord}) ride along: our self-advertisement carries our own
 *       ({@link OwnRecord}, signed again when our verified or host-only addresses change), GetPeers
 *       answers carry those the {@link RecordBook} holds, relays pass them on unchanged. A received
 *       one goes to the record book: newer ones replace older, rolled-back ones are ignored, a
 *       malformed or forged one (bad signature) scores MALFORMED and its whole entry is dropped. A
 *       newly accepted record counts as news for relaying.</li>
 *   <li>A loopback, private or link-local address is kept only from a peer that is itself on such an
 *       address ({@link AddressRules#acceptableFrom}); of a record's addresses the first that passes counts.</li>
 * </ul>
 *
 * <p>Threads: message checks and buckets run on event loops (per-peer state under its own lock);
 * everything touching the {@link AddressBook} and the {@link RecordBook} runs on discovery's thread
 * ({@code bookThread}), which owns both; {@link OwnRecord} guards itself.
 */
public final class PeerExchange implements Protocol {
    private static final Logger log = LoggerFactory.getLogger(PeerExchange.class);
    private static final int RELAY_MAX_RECORDS = 10;
    private static final Duration RELAY_FRESHNESS = Duration.ofMinutes(10);

    private final PeerHost host;
    private final AddressBook book;
    private final RecordBook records;
    private final OwnRecord own;
    private final OwnedExecutor bookThread;
    private final Misconduct misconduct;
    private final P2pMetrics metrics;
    private final DiscoveryConfig config;
    private final Clock clock;
    private final Predicate<NodeId> refused;
    private final Random random = new Random();
    private final Map<Session, PeerState> peers = new ConcurrentHashMap<>();
    /** Outbound peers' "you are"; guarded by itself. */
    private final ExternalAddressVotes votes = new ExternalAddressVotes();
    /** Someone dialed us, so others can reach us: we advertise ourselves to every peer. */
    private volatile boolean reachable;
    /** The addresses others verified they can dial us at (reachability's latest verdict). */
    private volatile List<PeerAddress> verified = List.of();
    /** Relayed addresses (relays holding a reservation for us), after the direct ones in our record. */
    private volatile List<SignedRecord.Address> relayed = List.of();

    /** Rate-limit state of one session; guarded by itself. */
    private static final class PeerState {
        final TokenBucket getPeers;
        final TokenBucket addresses;
        int refusals;

        PeerState(DiscoveryConfig c, long now) {
            getPeers = new TokenBucket(c.getPeersBurst(), c.getPeersRefillPerSecond(), now);
            addresses = new TokenBucket(c.addressBurst(), c.addressRefillPerSecond(), now);
        }
    }

    /**
     * @param bookThread the single thread that owns {@code book}
     * @param refused    node ids we do not want in the book (banned); called on {@code bookThread}
     */
    public PeerExchange(PeerHost host, AddressBook book, RecordBook records, OwnRecord own, OwnedExecutor bookThread,
                        Misconduct misconduct, P2pMetrics metrics, DiscoveryConfig config, Clock clock,
                        Predicate<NodeId> refused) {
        this.host = host;
        this.book = book;
        this.records = records;
        this.own = own;
        this.bookThread = bookThread;
        this.misconduct = misconduct;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
        this.refused = refused;
    }

    @Override
    public Set<Envelope.BodyCase> messageTypes() {
        return Set.of(Envelope.BodyCase.GET_PEERS, Envelope.BodyCase.PEERS);
    }

    @Override
    public void connected(Session session, Hello remoteHello) {
        peers.put(session, new PeerState(config, System.nanoTime()));
        if (session.direction() == Direction.INBOUND) {
            reachable = true;
        } else {
            remoteHello.observedAddress().filter(a -> PeerAddress.TCP.equals(a.scheme())).ifPresent(a -> {
                synchronized (votes) {
                    votes.vote(session.nodeId(), a.host());
                }
            });
        }
    }

    @Override
    public void disconnected(Session session, DisconnectReason reason, boolean byUs) {
        peers.remove(session);
    }

    @Override
    public void message(Session session, Envelope envelope) {
        PeerState state = peers.get(session);
        if (state == null) {
            return;
        }
        switch (envelope.getBodyCase()) {
            case GET_PEERS -> onGetPeers(session, state, envelope);
            case PEERS -> onUnsolicitedPeers(session, state, envelope.getPeers());
            default -> { }
        }
    }

    /**
     * Asks {@code session} for addresses; the answer goes into the book. Completes (never
     * exceptionally) once the answer was handled or the request failed.
     */
    public CompletableFuture<Void> requestPeers(Session session) {
        int max = config.maxPeersPerResponse();
        Envelope request = Envelope.newBuilder().setGetPeers(GetPeers.newBuilder().setMaxCount(max)).build();
        CompletableFuture<Void> done = new CompletableFuture<>();
        session.request(request).whenComplete((response, error) -> {
            if (error != null || response.getBodyCase() == Envelope.BodyCase.ERROR) {
                done.complete(null); // gone, busy or too slow: the manager asks someone else later
                return;
            }
            if (response.getBodyCase() != Envelope.BodyCase.PEERS || response.getPeers().getPeersCount() > max) {
                misconduct.report(session, Misconduct.Kind.MISMATCHED_RESPONSE, "Peers answer of "
                        + response.getPeers().getPeersCount() + " records (asked " + max + ") or wrong type");
                done.complete(null);
                return;
            }
            List<PeerRecord> records = response.getPeers().getPeersList();
            metrics.addressesReceived.add(records.size());
            if (!onBookThread(() -> {
                try {
                    learn(session, records, false);
                } finally {
                    done.complete(null);
                }
            })) {
                done.complete(null);
            }
        });
        return done;
    }

    /** Sends our own record to every peer (each with the addresses it can dial), if we are reachable. */
    public void advertiseSelf() {
        if (reachable) {
            host.sessions().forEach(this::advertiseSelfTo);
        }
    }

    /**
     * Reachability's verified addresses changed: our signed record is signed again with them. When
     * there are any, others proved they can dial us: we are reachable, and every peer hears our
     * record now rather than at the next {@code advertiseInterval}. Any thread.
     */
    public void addressesVerified(List<PeerAddress> verifiedNow) {
        verified = List.copyOf(verifiedNow);
        ownRecord();
        if (!verifiedNow.isEmpty()) {
            reachable = true;
            advertiseSelf();
        }
    }

    /**
     * The relays holding a reservation for us changed: our record is signed again with these relayed
     * addresses, and every peer hears it now (the way others find us when they cannot dial us). Any thread.
     */
    public void relayedAddresses(List<SignedRecord.Address> relayedNow) {
        relayed = List.copyOf(relayedNow);
        ownRecord();
        host.sessions().forEach(this::advertiseSelfTo);
    }

    /** Our own signed record with our current addresses (signed again when they changed). Any thread. */
    public SignedRecord ownRecord() {
        List<SignedRecord.Address> all = new ArrayList<>(OwnRecord.addressesFor(verified, host.listenAddresses()));
        all.addAll(relayed);
        return own.with(all);
    }

    /** Sends {@code session} our own record, with the addresses it can dial us at (if any). Any thread. */
    public void advertiseSelfTo(Session session) {
        List<PeerAddress> self = selfAddressesFor(session);
        if ((self.isEmpty() && relayed.isEmpty()) || !session.isOpen()) { // relayed only: the signed record alone
            return;
        }
        PeerRecord record = PeerRecords.withSigned(PeerRecords.toProto(host.nodeId(), self, clock.instant(), true),
                Optional.of(ownRecord()));
        metrics.selfAdvertisements.increment();
        session.send(Envelope.newBuilder().setPeers(Peers.newBuilder().addPeers(record)).build());
    }

    private void onGetPeers(Session session, PeerState state, Envelope request) {
        if (request.getRequestId() == 0) {
            return; // not a request: nothing to answer
        }
        boolean allowed;
        boolean penalize;
        synchronized (state) {
            allowed = state.getPeers.tryTake(System.nanoTime());
            penalize = !allowed && ++state.refusals % 10 == 0;
        }
        if (!allowed) {
            metrics.getPeersRefused.increment();
            session.respondError(request, ErrorResponse.Code.BUSY, "GetPeers rate limit");
            if (penalize) {
                misconduct.report(session, Misconduct.Kind.SPAM, "GetPeers far over the rate limit");
            }
            return;
        }
        int asked = request.getGetPeers().getMaxCount();
        int max = asked == 0 ? config.maxPeersPerResponse() : Math.min(asked, config.maxPeersPerResponse());
        onBookThread(() -> {
            Instant now = clock.instant();
            Peers.Builder answer = Peers.newBuilder();
            for (KnownPeer p : book.sample(max + 1, now)) {
                if (!p.nodeId().equals(session.nodeId()) && answer.getPeersCount() < max) {
                    answer.addPeers(PeerRecords.withSigned(PeerRecords.toProto(p, now), records.get(p.nodeId())));
                }
            }
            metrics.getPeersServed.increment();
            session.respond(request, Envelope.newBuilder().setPeers(answer).build());
        });
    }

    private void onUnsolicitedPeers(Session session, PeerState state, Peers peersMessage) {
        int count = peersMessage.getPeersCount();
        metrics.addressesReceived.add(count);
        if (count > DiscoveryConfig.MAX_PEERS_PER_MESSAGE) {
            misconduct.report(session, Misconduct.Kind.MALFORMED, count + " records in one Peers message");
            return;
        }
        int granted;
        synchronized (state) {
            granted = state.addresses.take(count, System.nanoTime());
        }
        metrics.addressesAccepted.add(granted);
        if (granted < count) {
            metrics.addressesRateLimited.add(count - granted);
            if (granted == 0 && count > 0) {
                misconduct.report(session, Misconduct.Kind.SPAM, count + " addresses over the rate limit");
                return;
            }
        }
        List<PeerRecord> accepted = peersMessage.getPeersList().subList(0, granted);
        boolean relay = count <= RELAY_MAX_RECORDS;
        onBookThread(() -> learn(session, accepted, relay));
    }

    /** Adds what {@code from} told us to the book; relays fresh news. Runs on the book thread. */
    private void learn(Session from, List<PeerRecord> received, boolean relay) {
        Instant now = clock.instant();
        AddressGroup source = AddressGroup.of(from.remoteAddress());
        String scheme = host.transport().scheme();
        List<PeerRecord> news = new ArrayList<>();
        int added = 0;
        for (PeerRecord r : received) {
            Optional<Boolean> signed = takeSigned(from, r);
            if (signed.isEmpty()) {
                continue; // malformed or forged: reported; nothing of this entry is believed
            }
            boolean newRecord = signed.get();
            boolean fresh = Instant.ofEpochMilli(Math.max(0, r.getLastSeenMs())).isAfter(now.minus(RELAY_FRESHNESS));
            Optional<PeerRecords.Learned> learned = PeerRecords.fromProto(r, scheme,
                    a -> AddressRules.acceptableFrom(a, from.remoteAddress()));
            if (learned.isEmpty() || learned.get().nodeId().equals(host.nodeId()) || refused.test(learned.get().nodeId())) {
                if (relay && newRecord && fresh) {
                    news.add(r); // a record with no address for us (relayed only, say) is still news to others
                }
                continue;
            }
            PeerRecords.Learned l = learned.get();
            AddressBook.AddOutcome outcome = book.add(l.nodeId(), l.address(), l.lastSeen(), source, now);
            boolean isNew = outcome == AddressBook.AddOutcome.ADDED;
            added += isNew ? 1 : 0;
            boolean selfAnnounced = l.nodeId().equals(from.nodeId()) && outcome != AddressBook.AddOutcome.COLLISION;
            if (relay && (isNew || selfAnnounced || newRecord) && fresh) {
                news.add(r);
            }
        }
        metrics.addressesAdded.add(added);
        if (!news.isEmpty()) {
            relay(from, news);
        }
    }

    /**
     * Offers the signed record {@code r} carries to the record book (not ours, nor a refused node's).
     * Empty when the entry must be dropped (malformed or forged, reported); else whether the record
     * book took a new record. On the book thread.
     */
    private Optional<Boolean> takeSigned(Session from, PeerRecord r) {
        if (!r.hasSigned() || r.getNodeId().size() != NodeId.BYTES) {
            return Optional.of(false); // an unsigned entry; a malformed id fails PeerRecords.fromProto
        }
        NodeId id = NodeId.fromBytes(r.getNodeId().toByteArray());
        if (id.equals(host.nodeId()) || refused.test(id)) {
            return Optional.of(false);
        }
        return PeerRecords.offerSigned(r.getSigned(), id, from, records, misconduct)
                .map(outcome -> outcome == RecordBook.Outcome.ACCEPTED);
    }

    private void relay(Session from, List<PeerRecord> news) {
        List<Session> targets = new ArrayList<>();
        for (Session s : host.sessions()) {
            if (s != from && !s.nodeId().equals(from.nodeId()) && s.isOpen()) {
                targets.add(s);
            }
        }
        Collections.shuffle(targets, random);
        Envelope message = Envelope.newBuilder().setPeers(Peers.newBuilder().addAllPeers(news)).build();
        targets.stream().limit(config.relayFanout()).forEach(s -> s.send(message));
    }

    /**
     * Our addresses as {@code peer} can dial them, of those the host advertises to it
     * ({@link PeerHost#advertisedTo}: beyond loopback, only verified ones): a wildcard host becomes the host of ours chosen
     * for that peer by {@link ExternalAddressVotes#hostFor} (outbound peers' "you are", never a public
     * inbound peer's), and a loopback host is offered only to a peer on loopback.
     */
    List<PeerAddress> selfAddressesFor(Session peer) {
        String scheme = host.transport().scheme();
        Optional<String> winner;
        synchronized (votes) {
            winner = votes.winner();
        }
        Optional<String> seenHost = ExternalAddressVotes.hostFor(peer.direction(), peer.remoteAddress(),
                peer.remoteHello().observedAddress(), winner);
        boolean peerOnLoopback = isLoopback(peer.remoteAddress());
        List<PeerAddress> out = new ArrayList<>();
        for (PeerAddress listen : host.advertisedTo(peer.remoteAddress())) {
            PeerAddress seen = seenHost.map(h -> new PeerAddress(listen.scheme(), h, listen.port())).orElse(listen);
            AddressRules.resolveAnnounced(listen, seen, scheme).filter(a -> peerOnLoopback || !isLoopback(a))
                    .filter(a -> !out.contains(a)).ifPresent(out::add);
        }
        return out;
    }

    private static boolean isLoopback(PeerAddress a) {
        return PeerAddress.TCP.equals(a.scheme())
                && IpLiterals.toInetAddress(a.host()).map(java.net.InetAddress::isLoopbackAddress).orElse(false);
    }

    /** True once any peer dialed us: others can reach us, so we advertise ourselves. */
    public boolean reachable() {
        return reachable;
    }

    private boolean onBookThread(Runnable task) {
        if (bookThread.execute(task)) {
            return true;
        }
        log.debug("Peer exchange task dropped: discovery busy or closed");
        return false;
    }

    @Override
    public void close() {
        peers.clear();
    }
}
