package org.protoblock.p2p.sync;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.protoblock.chain.types.BlockId;

/**
 * Which block bodies to ask which peer for, during a headers-first sync. A plain data structure:
 * no I/O, no clock, no threads (the caller passes {@code nowNanos}); the {@code SyncManager}
 * executor owns it. {@code P} is how the caller names a peer, {@code B} a downloaded body.
 *
 * <h2>Model</h2>
 * The target is a validated header chain: block ids for nums {@code base+1 .. tip}. {@code base}
 * is the highest num the chain has accepted (everything at or below it is forgotten). Each target
 * num is in one state:
 * <pre>
 *   MISSING ──assign──▶ REQUESTED ──response──▶ RECEIVED ──drainReady──▶ SUBMITTED ──applied──▶ (base moves)
 *      ▲                    │ timeout / failure / peer gone / stolen          │ requeue (chain said
 *      └────────────────────┴──────────────────────────────────────────────────┘ INVALID or ORPHAN)
 * </pre>
 *
 * <h2>Rules</h2>
 * <ol>
 *   <li><b>Window.</b> Only nums in {@code base+1 .. base+window} are requested.
 *       Rationale: blocks are applied in order, so anything far ahead of {@code base} would sit in
 *       memory; the window bounds the reorder buffer by count.</li>
 *   <li><b>Memory.</b> While the bytes held (RECEIVED + SUBMITTED) reach {@code maxBufferedBytes},
 *       only nums below the highest held num are requested. Rationale: this bounds the buffer by
 *       bytes when blocks are large, and still fills the gaps that keep the buffer from draining,
 *       so the download can never deadlock on its own memory bound.</li>
 *   <li><b>Availability.</b> A num is asked only of a peer whose {@code availableUpTo ≥ num}. The
 *       caller sets it from the peer's advertised head (optimistic); a peer that answers without a
 *       block it was asked for (not truncated by size) is lowered to just below that num.
 *       Rationale: a peer on another branch or behind cannot serve it; asking optimistically and
 *       correcting on a miss avoids a header round trip per peer.</li>
 *   <li><b>Lowest first, batches.</b> A request carries up to {@code batchSize()} MISSING nums, lowest
 *       first (not necessarily contiguous). The batch size follows the bodies' size:
 *       {@code clamp(targetRequestBytes / average body bytes, 1, maxBatch)}. Rationale: the block
 *       that holds up {@code base} is always the first one fetched; byte-sized batches keep each
 *       response well under the envelope limit and round trips few.</li>
 *   <li><b>Pipelining.</b> A peer has at most {@code maxInFlightPerPeer} requests outstanding, or 1
 *       while on probation (after a timeout, until it answers one). Peers are offered work fastest
 *       first (lowest response-time average), one request per peer per round.</li>
 *   <li><b>Adaptive timeouts.</b> A request expires after
 *       {@code clamp(4 × ewma(peer response time), minTimeout, maxTimeout)}; the EWMA (α = 1/4)
 *       starts at {@code initialTimeout / 4}. A timeout doubles the peer's EWMA and puts it on
 *       probation; its nums go back to MISSING for any peer. Rationale: a slow but honest peer keeps
 *       serving with a longer deadline instead of being dropped; a stalled one quickly gets little work.</li>
 *   <li><b>Stealing.</b> When an idle peer (nothing in flight) finds no MISSING num it can take, it
 *       takes over the request holding the lowest unreceived num, if that request's age exceeds
 *       {@code max(minStealAge, 3 × ewma(idle peer))} and the idle peer can serve all of it. The old
 *       request is forgotten (a late answer is ignored, not penalized) and its peer's EWMA is raised
 *       to that age. Rationale: one slow peer must not hold the whole window up (head-of-line blocking).</li>
 *   <li><b>Responses.</b> A response must be a prefix of the request's ids, in order; anything else is
 *       a mismatch (all its nums go back to MISSING, the caller penalizes). Nums not delivered go back
 *       to MISSING. A response to a request that no longer exists is stale and ignored.</li>
 *   <li><b>Order.</b> {@link #drainReady} hands out RECEIVED bodies only in num order, starting right
 *       after the SUBMITTED prefix above {@code base}. {@link #applied} moves {@code base} over the
 *       contiguous accepted prefix; {@link #requeue} sends a SUBMITTED num back to MISSING.</li>
 *   <li><b>Peers leaving.</b> {@link #removePeer} sends its REQUESTED nums back to MISSING;
 *       {@link #discardBodiesFrom} also drops the bodies it served that wait in the buffer (for a
 *       peer caught serving an invalid block).</li>
 * </ol>
 *
 * <h2>Bounds and complexity</h2>
 * Memory: O(maxTargets) entries (ids of un-applied headers), O(window) bodies, O(peers ×
 * maxInFlightPerPeer) requests. CPU: {@link #assign} is O(window + peers log peers) per round and
 * at most peers × maxInFlightPerPeer rounds; responses are O(batch); {@link #expire} is O(requests);
 * {@link #drainReady} and {@link #applied} are amortized O(1) per block. {@link #sanityCheck} is
 * O(entries + requests) and is for tests.
 */
public final class BlockDownloadScheduler<P, B> {

    /** Bounds and tuning; see the rules above. */
    public record Limits(int window, int maxBatch, long targetRequestBytes, int maxInFlightPerPeer,
                         long initialTimeoutNanos, long minTimeoutNanos, long maxTimeoutNanos,
                         long minStealAgeNanos, long maxBufferedBytes, int maxTargets) {
        public Limits {
            if (window < 1 || maxBatch < 1 || targetRequestBytes < 1 || maxInFlightPerPeer < 1
                    || minTimeoutNanos < 1 || maxTimeoutNanos < minTimeoutNanos || initialTimeoutNanos < 1
                    || minStealAgeNanos < 0 || maxBufferedBytes < 1 || maxTargets < window) {
                throw new IllegalArgumentException("bad scheduler limits: " + this);
            }
        }
    }

    /** One block of a request: its num and the id the header chain expects there. */
    public record Wanted(long num, BlockId id) {
    }

    /** A request to send: ask {@code peer} for these blocks, in this order, before {@code deadlineNanos}. */
    public record Request<P>(long id, P peer, List<Wanted> blocks, long sentAtNanos, long deadlineNanos) {
        public Request {
            blocks = List.copyOf(blocks);
        }

        public List<BlockId> ids() {
            return blocks.stream().map(Wanted::id).toList();
        }
    }

    /** A body as delivered: the id it hashes to, the body, its size in bytes. */
    public record Delivered<B>(BlockId id, B body, int bytes) {
    }

    /** A body ready for the chain, in num order, with the peer that served it (to blame if invalid). */
    public record Ready<P, B>(long num, BlockId id, B body, int bytes, P servedBy) {
    }

    /** What a response did. */
    public enum ResponseStatus {
        /** Bodies taken (possibly none); any missing rest is MISSING again. */
        ACCEPTED,
        /** Not a prefix of the request's ids, or too many: the caller penalizes the peer. */
        MISMATCHED,
        /** The request is gone (expired, stolen, peer removed): ignored. */
        STALE
    }

    /** The result of a response: status and how many bodies were new. */
    public record ResponseResult(ResponseStatus status, int accepted) {
    }

    private enum State { MISSING, REQUESTED, RECEIVED, SUBMITTED, APPLIED }

    private static final class Entry<P, B> {
        final BlockId id;
        State state = State.MISSING;
        long requestId;
        B body;
        int bytes;
        P servedBy;

        Entry(BlockId id) {
            this.id = id;
        }

        void clear() {
            state = State.MISSING;
            requestId = 0;
            body = null;
            bytes = 0;
            servedBy = null;
        }
    }

    private static final class Peer {
        long availableUpTo;
        long ewmaNanos;
        boolean probation;
        final Set<Long> requests = new LinkedHashSet<>();

        Peer(long availableUpTo, long ewmaNanos) {
            this.availableUpTo = availableUpTo;
            this.ewmaNanos = ewmaNanos;
        }
    }

    private static final int INITIAL_BODY_BYTES = 16 * 1024;

    private final Limits limits;
    private final Map<Long, Entry<P, B>> entries = new HashMap<>();
    private final Map<P, Peer> peers = new LinkedHashMap<>();
    private final Map<Long, Request<P>> requests = new LinkedHashMap<>();
    private long base;
    private long tip;
    private long nextRequestId = 1;
    private long heldBytes;
    private long highestHeld;
    private double avgBodyBytes = INITIAL_BODY_BYTES;

    public BlockDownloadScheduler(Limits limits, long base) {
        this.limits = Objects.requireNonNull(limits, "limits");
        if (base < 0) {
            throw new IllegalArgumentException("base < 0");
        }
        this.base = base;
        this.tip = base;
        this.highestHeld = base;
    }

    // ---- target

    /** Appends header-chain ids for nums {@code tip+1 ..}; fails beyond {@link #headerRoom()}. */
    public void extend(List<BlockId> ids) {
        if (ids.size() > headerRoom()) {
            throw new IllegalStateException(ids.size() + " ids exceed the room for " + headerRoom());
        }
        for (BlockId id : ids) {
            entries.put(++tip, new Entry<>(Objects.requireNonNull(id)));
        }
    }

    /** How many more ids {@link #extend} accepts now. */
    public int headerRoom() {
        return (int) (limits.maxTargets() - (tip - base));
    }

    public long base() {
        return base;
    }

    public long tip() {
        return tip;
    }

    /** Every target num was accepted by the chain. */
    public boolean isComplete() {
        return base == tip;
    }

    public Optional<BlockId> idAt(long num) {
        return Optional.ofNullable(entries.get(num)).map(e -> e.id);
    }

    // ---- peers

    /** Adds a peer, or updates how far it can serve. */
    public void setAvailable(P peer, long availableUpTo) {
        Peer p = peers.get(peer);
        if (p == null) {
            peers.put(peer, new Peer(availableUpTo, limits.initialTimeoutNanos() / 4));
        } else {
            p.availableUpTo = availableUpTo;
        }
    }

    public boolean hasPeer(P peer) {
        return peers.containsKey(peer);
    }

    public long availableUpTo(P peer) {
        Peer p = peers.get(peer);
        return p == null ? -1 : p.availableUpTo;
    }

    /** Forgets a peer; its requested nums go back to MISSING. */
    public void removePeer(P peer) {
        Peer p = peers.remove(peer);
        if (p == null) {
            return;
        }
        for (long requestId : List.copyOf(p.requests)) {
            dropRequest(requestId);
        }
    }

    /**
     * Drops the bodies {@code peer} served that are not yet handed out (RECEIVED → MISSING), e.g.
     * after one of its blocks proved invalid: they are fetched again from others.
     */
    public int discardBodiesFrom(P peer) {
        int dropped = 0;
        for (Entry<P, B> entry : entries.values()) {
            if (entry.state == State.RECEIVED && peer.equals(entry.servedBy)) {
                heldBytes -= entry.bytes;
                entry.clear();
                dropped++;
            }
        }
        return dropped;
    }

    public int inFlight(P peer) {
        Peer p = peers.get(peer);
        return p == null ? 0 : p.requests.size();
    }

    public int requestsInFlight() {
        return requests.size();
    }

    /** The peer's current request deadline, from its response-time average. */
    public long timeoutNanos(P peer) {
        Peer p = peers.get(peer);
        return timeoutOf(p == null ? limits.initialTimeoutNanos() / 4 : p.ewmaNanos);
    }

    // ---- requests

    /** Blocks per request, from the average body size. */
    public int batchSize() {
        long byBytes = (long) (limits.targetRequestBytes() / Math.max(1.0, avgBodyBytes));
        return (int) Math.max(1, Math.min(limits.maxBatch(), byBytes));
    }

    /** Hands out work to every peer with a free slot (rules 1–5 and 7); the caller sends each request. */
    public List<Request<P>> assign(long nowNanos) {
        List<Request<P>> out = new ArrayList<>();
        List<Map.Entry<P, Peer>> order = new ArrayList<>(peers.entrySet());
        order.sort(Comparator.comparingLong(e -> e.getValue().ewmaNanos));
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Map.Entry<P, Peer> e : order) {
                Peer p = e.getValue();
                if (p.requests.size() >= (p.probation ? 1 : limits.maxInFlightPerPeer())) {
                    continue;
                }
                List<Wanted> batch = pickMissing(p.availableUpTo);
                if (batch.isEmpty()) {
                    continue;
                }
                out.add(open(e.getKey(), p, batch, nowNanos));
                progress = true;
            }
        }
        for (Map.Entry<P, Peer> e : order) {
            if (e.getValue().requests.isEmpty()) {
                steal(e.getKey(), e.getValue(), nowNanos).ifPresent(out::add);
            }
        }
        return out;
    }

    private List<Wanted> pickMissing(long availableUpTo) {
        long limit = Math.min(Math.min(tip, base + limits.window()), availableUpTo);
        if (heldBytes >= limits.maxBufferedBytes()) {
            limit = Math.min(limit, highestHeld - 1);
        }
        int batch = batchSize();
        List<Wanted> picked = new ArrayList<>();
        for (long num = base + 1; num <= limit && picked.size() < batch; num++) {
            Entry<P, B> entry = entries.get(num);
            if (entry.state == State.MISSING) {
                picked.add(new Wanted(num, entry.id));
            }
        }
        return picked;
    }

    private Optional<Request<P>> steal(P thief, Peer p, long nowNanos) {
        long lowest = lowestUnreceived();
        if (lowest < 0) {
            return Optional.empty();
        }
        Entry<P, B> entry = entries.get(lowest);
        if (entry.state != State.REQUESTED) {
            return Optional.empty();
        }
        Request<P> victim = requests.get(entry.requestId);
        long age = nowNanos - victim.sentAtNanos();
        long last = victim.blocks().get(victim.blocks().size() - 1).num();
        if (victim.peer().equals(thief) || age < Math.max(limits.minStealAgeNanos(), 3 * p.ewmaNanos)
                || p.availableUpTo < last) {
            return Optional.empty();
        }
        Peer slow = peers.get(victim.peer());
        slow.ewmaNanos = Math.max(slow.ewmaNanos, age);
        dropRequest(victim.id());
        return Optional.of(open(thief, p, victim.blocks(), nowNanos));
    }

    /** The lowest target num not yet RECEIVED (or later), or -1. */
    private long lowestUnreceived() {
        for (long num = base + 1; num <= tip; num++) {
            State s = entries.get(num).state;
            if (s == State.MISSING || s == State.REQUESTED) {
                return num;
            }
        }
        return -1;
    }

    private Request<P> open(P peer, Peer p, List<Wanted> batch, long nowNanos) {
        Request<P> request = new Request<>(nextRequestId++, peer, batch, nowNanos, nowNanos + timeoutOf(p.ewmaNanos));
        requests.put(request.id(), request);
        p.requests.add(request.id());
        for (Wanted w : batch) {
            Entry<P, B> entry = entries.get(w.num());
            entry.state = State.REQUESTED;
            entry.requestId = request.id();
        }
        return request;
    }

    private long timeoutOf(long ewmaNanos) {
        return Math.max(limits.minTimeoutNanos(), Math.min(limits.maxTimeoutNanos(), 4 * ewmaNanos));
    }

    /** The answer to request {@code requestId}: bodies in order (rule 8). */
    public ResponseResult onResponse(long requestId, List<Delivered<B>> delivered, boolean truncated, long nowNanos) {
        Request<P> request = requests.get(requestId);
        if (request == null) {
            return new ResponseResult(ResponseStatus.STALE, 0);
        }
        Peer p = peers.get(request.peer());
        List<Wanted> wanted = request.blocks();
        boolean prefix = delivered.size() <= wanted.size();
        for (int i = 0; prefix && i < delivered.size(); i++) {
            prefix = delivered.get(i).id().equals(wanted.get(i).id());
        }
        dropRequest(requestId);
        if (!prefix) {
            return new ResponseResult(ResponseStatus.MISMATCHED, 0);
        }
        long elapsed = Math.max(0, nowNanos - request.sentAtNanos());
        p.ewmaNanos = p.ewmaNanos + (elapsed - p.ewmaNanos) / 4;
        p.probation = false;
        int accepted = 0;
        for (int i = 0; i < delivered.size(); i++) {
            Entry<P, B> entry = entries.get(wanted.get(i).num());
            if (entry == null || entry.state != State.MISSING) {
                continue; // applied or taken meanwhile
            }
            Delivered<B> d = delivered.get(i);
            entry.state = State.RECEIVED;
            entry.body = d.body();
            entry.bytes = d.bytes();
            entry.servedBy = request.peer();
            heldBytes += d.bytes();
            highestHeld = Math.max(highestHeld, wanted.get(i).num());
            avgBodyBytes += (d.bytes() - avgBodyBytes) / 8;
            accepted++;
        }
        if (!truncated && delivered.size() < wanted.size()) {
            p.availableUpTo = Math.min(p.availableUpTo, wanted.get(delivered.size()).num() - 1);
        }
        return new ResponseResult(ResponseStatus.ACCEPTED, accepted);
    }

    /** The peer has none of the request's blocks (NOT_FOUND): like an empty, untruncated response. */
    public ResponseResult onNotFound(long requestId, long nowNanos) {
        return onResponse(requestId, List.of(), false, nowNanos);
    }

    /** The request failed without an answer about blocks (busy, link closed, refused): nums back to MISSING. */
    public void onFailure(long requestId) {
        dropRequest(requestId);
    }

    /** Expires requests past their deadline (rule 6); returns them so the caller can score their peers. */
    public List<Request<P>> expire(long nowNanos) {
        List<Request<P>> expired = new ArrayList<>();
        for (Request<P> r : requests.values()) {
            if (nowNanos - r.deadlineNanos() >= 0) {
                expired.add(r);
            }
        }
        Set<P> stalled = new java.util.HashSet<>();
        for (Request<P> r : expired) {
            Peer p = peers.get(r.peer());
            if (stalled.add(r.peer())) { // one stall per peer per call, however many requests it held
                p.ewmaNanos = Math.min(limits.maxTimeoutNanos(), Math.max(p.ewmaNanos * 2, (r.deadlineNanos() - r.sentAtNanos()) / 2));
                p.probation = true;
            }
            dropRequest(r.id());
        }
        return expired;
    }

    private void dropRequest(long requestId) {
        Request<P> request = requests.remove(requestId);
        if (request == null) {
            return;
        }
        Peer p = peers.get(request.peer());
        if (p != null) {
            p.requests.remove(requestId);
        }
        for (Wanted w : request.blocks()) {
            Entry<P, B> entry = entries.get(w.num());
            if (entry != null && entry.state == State.REQUESTED && entry.requestId == requestId) {
                entry.clear();
            }
        }
    }

    // ---- applying

    /** Up to {@code maxCount} bodies / {@code maxBytes} (at least one), in num order, now SUBMITTED (rule 9). */
    public List<Ready<P, B>> drainReady(int maxCount, long maxBytes) {
        List<Ready<P, B>> out = new ArrayList<>();
        long bytes = 0;
        long num = base + 1;
        while (num <= tip && entries.get(num).state.compareTo(State.SUBMITTED) >= 0) {
            num++;
        }
        for (; num <= tip && out.size() < maxCount; num++) {
            Entry<P, B> entry = entries.get(num);
            if (entry.state != State.RECEIVED || (!out.isEmpty() && bytes + entry.bytes > maxBytes)) {
                break;
            }
            entry.state = State.SUBMITTED;
            bytes += entry.bytes;
            out.add(new Ready<>(num, entry.id, entry.body, entry.bytes, entry.servedBy));
        }
        return out;
    }

    /** The chain accepted the SUBMITTED block at {@code num}; {@code base} moves over the accepted prefix. */
    public void applied(long num) {
        Entry<P, B> entry = entries.get(num);
        if (entry == null || entry.state != State.SUBMITTED) {
            return;
        }
        release(entry);
        entry.state = State.APPLIED;
        while (base < tip && entries.get(base + 1).state == State.APPLIED) {
            entries.remove(++base);
        }
    }

    /** The chain did not take the SUBMITTED block at {@code num} (invalid, or its parent failed): fetch it again. */
    public void requeue(long num) {
        Entry<P, B> entry = entries.get(num);
        if (entry == null || entry.state != State.SUBMITTED) {
            return;
        }
        release(entry);
        entry.clear();
    }

    private void release(Entry<P, B> entry) {
        heldBytes -= entry.bytes;
        entry.body = null;
        if (heldBytes == 0) {
            highestHeld = base;
        }
    }

    public long heldBytes() {
        return heldBytes;
    }

    /** Bodies RECEIVED, not yet handed out. */
    public int receivedCount() {
        return (int) entries.values().stream().filter(e -> e.state == State.RECEIVED).count();
    }

    // ---- tests

    /** Consistency of the internal indexes; empty when all is well. */
    public List<String> sanityCheck() {
        List<String> problems = new ArrayList<>();
        if (tip < base) {
            problems.add("tip " + tip + " below base " + base);
        }
        if (entries.size() != tip - base) {
            problems.add(entries.size() + " entries for nums " + (base + 1) + ".." + tip);
        }
        if (tip - base > limits.maxTargets()) {
            problems.add("more targets than " + limits.maxTargets());
        }
        long bytes = 0;
        for (long num = base + 1; num <= tip; num++) {
            Entry<P, B> e = entries.get(num);
            if (e == null) {
                problems.add("no entry at " + num);
                continue;
            }
            if (num == base + 1 && e.state == State.APPLIED) {
                problems.add("base not advanced over applied " + num);
            }
            if (e.state == State.RECEIVED || e.state == State.SUBMITTED) {
                bytes += e.bytes;
                if (e.body == null || e.servedBy == null) {
                    problems.add("held entry without body at " + num);
                }
                if (num > base + limits.window()) {
                    problems.add("held entry outside the window at " + num);
                }
            } else if (e.body != null) {
                problems.add("body kept in state " + e.state + " at " + num);
            }
            if (e.state == State.REQUESTED) {
                Request<P> r = requests.get(e.requestId);
                long n = num;
                if (r == null || r.blocks().stream().noneMatch(w -> w.num() == n)) {
                    problems.add("REQUESTED " + num + " without its request");
                }
            }
        }
        if (bytes != heldBytes) {
            problems.add("held bytes " + heldBytes + " != " + bytes);
        }
        for (Request<P> r : requests.values()) {
            Peer p = peers.get(r.peer());
            if (p == null || !p.requests.contains(r.id())) {
                problems.add("request " + r.id() + " not listed at its peer");
            }
            for (Wanted w : r.blocks()) {
                Entry<P, B> e = entries.get(w.num());
                if (e == null || e.state != State.REQUESTED || e.requestId != r.id() || !e.id.equals(w.id())) {
                    problems.add("request " + r.id() + " holds " + w.num() + " in another state");
                }
            }
        }
        for (Map.Entry<P, Peer> e : peers.entrySet()) {
            if (e.getValue().requests.size() > limits.maxInFlightPerPeer()) {
                problems.add("peer " + e.getKey() + " over its in-flight limit");
            }
            for (long id : e.getValue().requests) {
                Request<P> r = requests.get(id);
                if (r == null || !r.peer().equals(e.getKey())) {
                    problems.add("peer " + e.getKey() + " lists unknown request " + id);
                }
            }
        }
        return problems;
    }
}
