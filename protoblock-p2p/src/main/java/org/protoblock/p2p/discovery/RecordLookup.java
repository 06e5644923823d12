package org.protoblock.p2p.discovery;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.protocol.Protocol;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;
import org.protoblock.p2p.wire.proto.GetPeerRecord;
import org.protoblock.p2p.wire.proto.PeerRecordAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a node's signed record by its node id: {@code GetPeerRecord} / {@code PeerRecordAnswer}.
 *
 * <p>Rules:
 * <ul>
 *   <li>{@link #find}: a record in our {@link RecordBook} (or our own) answers at once. Otherwise
 *       we ask {@link #FANOUT} random connected peers at the same time; the first valid record
 *       (it must be of the node asked for and verify; a newer one replaces what the book holds)
 *       answers. No record after every peer answered, or after {@link #TIMEOUT}: empty. One search
 *       per node id at a time (later callers join it); at most {@link #MAX_IN_FLIGHT} searches,
 *       beyond which a call answers empty at once. Rationale: a lookup is a hint for a dial; the
 *       caller retries, and a bound keeps a busy operator from fanning out without end.</li>
 *   <li>Serving: a peer's GetPeerRecord passes a per-peer token bucket (burst
 *       {@link #SERVE_BURST}, {@link #SERVE_REFILL_PER_SECOND}/s); beyond it BUSY. A malformed node
 *       id is BAD_REQUEST and scores MALFORMED. The answer comes from the book (our own record for
 *       our id), without a record when we know none.</li>
 *   <li>A malformed, mismatched or forged record in an answer scores its sender MALFORMED
 *       ({@link PeerRecords#offerSigned}); an answer of another type MISMATCHED_RESPONSE.</li>
 * </ul>
 *
 * <p>Threads: the buckets live on event loops (each guarded by itself); searches and the book
 * belong to discovery's thread ({@code bookThread}); futures complete there.
 */
public final class RecordLookup implements Protocol {
    public static final int FANOUT = 3;
    public static final Duration TIMEOUT = Duration.ofSeconds(5);
    public static final int MAX_IN_FLIGHT = 32;
    static final int SERVE_BURST = 16;
    static final double SERVE_REFILL_PER_SECOND = 2.0;
    private static final Logger log = LoggerFactory.getLogger(RecordLookup.class);

    private final PeerHost host;
    private final RecordBook book;
    private final OwnedExecutor bookThread;
    private final Supplier<SignedRecord> ownRecord;
    private final Misconduct misconduct;
    private final Random random = new Random();
    private final Map<Session, TokenBucket> buckets = new ConcurrentHashMap<>();
    /** Searches in progress; owned by the book thread. */
    private final Map<NodeId, Search> searches = new HashMap<>();

    /** One search: its result and the answers still awaited. Owned by the book thread. */
    private static final class Search {
        final CompletableFuture<Optional<SignedRecord>> result = new CompletableFuture<>();
        int awaited;
        Optional<ScheduledFuture<?>> timeout = Optional.empty();
    }

    /**
     * @param bookThread the thread that owns {@code book}
     * @param ownRecord  our own record, current (signed again when our addresses changed)
     */
    public RecordLookup(PeerHost host, RecordBook book, OwnedExecutor bookThread, Supplier<SignedRecord> ownRecord,
                        Misconduct misconduct) {
        this.host = host;
        this.book = book;
        this.bookThread = bookThread;
        this.ownRecord = ownRecord;
        this.misconduct = misconduct;
    }

    @Override
    public Set<Envelope.BodyCase> messageTypes() {
        return Set.of(Envelope.BodyCase.GET_PEER_RECORD);
    }

    @Override
    public void connected(Session session, Hello remoteHello) {
        buckets.put(session, new TokenBucket(SERVE_BURST, SERVE_REFILL_PER_SECOND, System.nanoTime()));
    }

    @Override
    public void disconnected(Session session, DisconnectReason reason, boolean byUs) {
        buckets.remove(session);
    }

    /** The newest record of {@code id} we can find; empty when nobody we asked knows it. Any thread. */
    public CompletableFuture<Optional<SignedRecord>> find(NodeId id) {
        CompletableFuture<Optional<SignedRecord>> out = new CompletableFuture<>();
        if (!bookThread.execute(() -> start(id).whenComplete((r, e) -> out.complete(e == null ? r : Optional.empty())))) {
            out.complete(Optional.empty());
        }
        return out;
    }

    private CompletableFuture<Optional<SignedRecord>> start(NodeId id) {
        Optional<SignedRecord> known = id.equals(host.nodeId()) ? Optional.of(ownRecord.get()) : book.get(id);
        if (known.isPresent()) {
            return CompletableFuture.completedFuture(known);
        }
        Search running = searches.get(id);
        if (running != null) {
            return running.result;
        }
        List<Session> peers = new ArrayList<>();
        host.sessions().stream().filter(Session::isOpen).forEach(peers::add);
        if (peers.isEmpty() || searches.size() >= MAX_IN_FLIGHT) {
            log.debug("Lookup of {}: {}", id.shortForm(), peers.isEmpty() ? "no peers to ask" : "too many lookups");
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Collections.shuffle(peers, random);
        Search search = new Search();
        searches.put(id, search);
        search.timeout = bookThread.schedule(TIMEOUT, () -> finish(id, search, Optional.empty()));
        if (search.timeout.isEmpty()) {
            finish(id, search, Optional.empty());
            return search.result;
        }
        Envelope request = Envelope.newBuilder()
                .setGetPeerRecord(GetPeerRecord.newBuilder().setNodeId(ByteString.copyFrom(id.toBytes()))).build();
        for (Session peer : peers.subList(0, Math.min(FANOUT, peers.size()))) {
            search.awaited++;
            peer.request(request, TIMEOUT).whenComplete((answer, error) -> {
                if (!bookThread.execute(() -> answered(id, search, peer, Optional.ofNullable(answer)))) {
                    log.debug("Lookup answer of {} dropped: discovery busy or closed", peer);
                }
            });
        }
        return search.result;
    }

    private void answered(NodeId id, Search search, Session peer, Optional<Envelope> answer) {
        if (search.result.isDone()) {
            return;
        }
        search.awaited--;
        Envelope.BodyCase type = answer.map(Envelope::getBodyCase).orElse(Envelope.BodyCase.ERROR);
        if (type == Envelope.BodyCase.PEER_RECORD_ANSWER && answer.get().getPeerRecordAnswer().hasRecord()) {
            Optional<RecordBook.Outcome> outcome = PeerRecords.offerSigned(answer.get().getPeerRecordAnswer().getRecord(),
                    id, peer, book, misconduct);
            if (outcome.isPresent()) {
                finish(id, search, book.get(id));
                return;
            }
        } else if (type != Envelope.BodyCase.PEER_RECORD_ANSWER && type != Envelope.BodyCase.ERROR) {
            misconduct.report(peer, Misconduct.Kind.MISMATCHED_RESPONSE, "GetPeerRecord answered with " + type);
        }
        if (search.awaited == 0) {
            finish(id, search, Optional.empty());
        }
    }

    private void finish(NodeId id, Search search, Optional<SignedRecord> record) {
        if (searches.get(id) == search) {
            searches.remove(id);
        }
        search.timeout.ifPresent(t -> t.cancel(false));
        search.result.complete(record);
    }

    @Override
    public void message(Session session, Envelope envelope) {
        if (envelope.getBodyCase() != Envelope.BodyCase.GET_PEER_RECORD || envelope.getRequestId() == 0) {
            return;
        }
        TokenBucket bucket = buckets.get(session);
        boolean allowed;
        if (bucket == null) {
            return;
        }
        synchronized (bucket) {
            allowed = bucket.tryTake(System.nanoTime());
        }
        if (!allowed) {
            session.respondError(envelope, ErrorResponse.Code.BUSY, "GetPeerRecord rate limit");
            return;
        }
        ByteString raw = envelope.getGetPeerRecord().getNodeId();
        if (raw.size() != NodeId.BYTES) {
            session.respondError(envelope, ErrorResponse.Code.BAD_REQUEST, "node id of " + raw.size() + " bytes");
            misconduct.report(session, Misconduct.Kind.MALFORMED, "GetPeerRecord with a node id of " + raw.size() + " bytes");
            return;
        }
        NodeId id = NodeId.fromBytes(raw.toByteArray());
        if (!bookThread.execute(() -> {
            Optional<SignedRecord> record = id.equals(host.nodeId()) ? Optional.of(ownRecord.get()) : book.get(id);
            PeerRecordAnswer.Builder answer = PeerRecordAnswer.newBuilder();
            record.ifPresent(r -> answer.setRecord(r.toProto()));
            session.respond(envelope, Envelope.newBuilder().setPeerRecordAnswer(answer).build());
        })) {
            session.respondError(envelope, ErrorResponse.Code.BUSY, "discovery busy");
        }
    }

    @Override
    public void close() {
        buckets.clear();
    }
}
