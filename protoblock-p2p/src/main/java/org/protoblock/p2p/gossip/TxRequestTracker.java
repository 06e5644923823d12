package org.protoblock.p2p.gossip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.protoblock.chain.types.TxId;

/**
 * Which announced transactions to fetch from which peer, and when to fall back to another
 * announcer (after Bitcoin Core's {@code txrequest.h}). A plain data structure: no I/O, no clock
 * of its own (callers pass the time), so tests can drive every interleaving.
 *
 * <p>Model: an <i>announcement</i> is a (peer, txid) pair, created when the peer announces the
 * id and we do not have the transaction. Each is in one state: CANDIDATE (may be requested),
 * REQUESTED (asked of this peer, with an expiry time) or COMPLETED (this peer answered, failed
 * to, or timed out).
 *
 * <p>Rules:
 * <ol>
 *   <li>One announcement per (peer, txid); a repeated announcement is ignored, even when the
 *       first one is COMPLETED. Rationale: a peer that failed to deliver cannot make us ask it
 *       again by announcing again.</li>
 *   <li>At most one REQUESTED announcement per txid. Rationale: fetch each body from one peer at
 *       a time, so a transaction crosses each link about once.</li>
 *   <li>{@link #requestable} gives a peer the txids for which it is the <i>best</i> candidate:
 *       nothing is REQUESTED for the txid, and among the txid's CANDIDATE announcements whose peer
 *       has a free in-flight slot, this peer's came first. Rationale: the first announcer is
 *       usually the closest/fastest path; skipping peers at their in-flight limit keeps one slow
 *       peer from holding up the ids others also announced.</li>
 *   <li>A REQUESTED announcement becomes COMPLETED on {@link #receivedResponse} or, at its expiry,
 *       on {@link #expire}; the txid then falls back to the next best CANDIDATE.</li>
 *   <li>A txid whose announcements are all COMPLETED is forgotten (no one is left to ask; a new
 *       announcement starts over). {@link #forgetTxId} forgets it at once: the caller got the
 *       transaction, or decided it is not wanted (rejected, already known).</li>
 *   <li>{@link #disconnectedPeer} removes all of the peer's announcements; its in-flight txids
 *       fall back at once.</li>
 *   <li>Bounds: at most {@code maxAnnouncementsPerPeer} announcements per peer (in any state;
 *       more are ignored) and at most {@code maxInFlightPerPeer} REQUESTED per peer. Rationale:
 *       memory is O(peers × maxAnnouncementsPerPeer) whatever peers send; a peer cannot make us
 *       keep more requests outstanding at it than it can answer.</li>
 * </ol>
 *
 * <p>Cost: {@link #receivedInv}, {@link #receivedResponse} O(1) amortised; {@link #requestable}
 * O(candidates of the peer × announcers per txid); {@link #expire} O(REQUESTED); {@link #forgetTxId}
 * O(announcers of the txid). {@link #sanityCheck()} verifies every rule and index (tests).
 *
 * <p>Not thread-safe: owned by one executor.
 *
 * @param <P> the peer key (equality by identity or value, stable while the peer is connected)
 */
public final class TxRequestTracker<P> {

    /** The bounds and the request timeout. */
    public record Limits(int maxAnnouncementsPerPeer, int maxInFlightPerPeer, long requestTimeoutMillis) {
        public Limits {
            if (maxAnnouncementsPerPeer < 1 || maxInFlightPerPeer < 1 || requestTimeoutMillis < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    /** A request that timed out: the peer did not answer for {@code txId} in time. */
    public record Expired<P>(P peer, TxId txId) {
    }

    enum State { CANDIDATE, REQUESTED, COMPLETED }

    private static final class Announcement<P> {
        final P peer;
        final TxId txId;
        final long seq;
        State state = State.CANDIDATE;
        long expiryMillis;

        Announcement(P peer, TxId txId, long seq) {
            this.peer = peer;
            this.txId = txId;
            this.seq = seq;
        }
    }

    /** A peer's announcements (insertion order = announcement order) and its in-flight count. */
    private static final class PeerEntry<P> {
        final Map<TxId, Announcement<P>> announcements = new LinkedHashMap<>();
        final LinkedHashSet<TxId> candidates = new LinkedHashSet<>();
        int inFlight;
    }

    private final Limits limits;
    /** Per txid, its announcements in announcement order (oldest first). */
    private final Map<TxId, List<Announcement<P>>> byTx = new HashMap<>();
    private final Map<P, PeerEntry<P>> byPeer = new HashMap<>();
    /** REQUESTED announcements, for expiry. */
    private final LinkedHashSet<Announcement<P>> requested = new LinkedHashSet<>();
    private long nextSeq;

    public TxRequestTracker(Limits limits) {
        this.limits = Objects.requireNonNull(limits);
    }

    public Limits limits() {
        return limits;
    }

    /**
     * {@code peer} announced {@code txId} (which the caller does not have). Returns false when
     * ignored: already announced by this peer, or the peer is at its announcement bound.
     */
    public boolean receivedInv(P peer, TxId txId) {
        PeerEntry<P> entry = byPeer.computeIfAbsent(peer, p -> new PeerEntry<>());
        if (entry.announcements.containsKey(txId) || entry.announcements.size() >= limits.maxAnnouncementsPerPeer()) {
            if (entry.announcements.isEmpty()) {
                byPeer.remove(peer);
            }
            return false;
        }
        Announcement<P> a = new Announcement<>(peer, txId, nextSeq++);
        entry.announcements.put(txId, a);
        entry.candidates.add(txId);
        byTx.computeIfAbsent(txId, t -> new ArrayList<>(2)).add(a);
        return true;
    }

    /**
     * The txids to request from {@code peer} now (at most {@code max}, oldest announcement first);
     * they become REQUESTED with expiry {@code nowMillis + requestTimeout}.
     */
    public List<TxId> requestable(P peer, long nowMillis, int max) {
        PeerEntry<P> entry = byPeer.get(peer);
        List<TxId> out = new ArrayList<>();
        if (entry == null) {
            return out;
        }
        Iterator<TxId> it = entry.candidates.iterator();
        while (it.hasNext() && out.size() < max && entry.inFlight < limits.maxInFlightPerPeer()) {
            TxId txId = it.next();
            Announcement<P> a = entry.announcements.get(txId);
            if (isBest(a)) {
                it.remove();
                a.state = State.REQUESTED;
                a.expiryMillis = nowMillis + limits.requestTimeoutMillis();
                entry.inFlight++;
                requested.add(a);
                out.add(txId);
            }
        }
        return out;
    }

    /** Rule 3: nothing REQUESTED for the txid, and {@code a} is the first candidate with a free slot. */
    private boolean isBest(Announcement<P> a) {
        Announcement<P> best = null;
        for (Announcement<P> other : byTx.get(a.txId)) {
            if (other.state == State.REQUESTED) {
                return false; // scan them all: a later announcer may hold the request
            }
            if (best == null && other.state == State.CANDIDATE
                    && byPeer.get(other.peer).inFlight < limits.maxInFlightPerPeer()) {
                best = other;
            }
        }
        return best == a;
    }

    /**
     * {@code peer} answered for {@code txId} (delivered it or said it has not got it). Returns
     * true if we had requested it from that peer (false: the body was unsolicited).
     */
    public boolean receivedResponse(P peer, TxId txId) {
        PeerEntry<P> entry = byPeer.get(peer);
        Announcement<P> a = entry == null ? null : entry.announcements.get(txId);
        if (a == null || a.state != State.REQUESTED) {
            return false;
        }
        complete(entry, a);
        forgetIfAllCompleted(txId);
        return true;
    }

    /** Was {@code txId} requested from {@code peer} and not yet answered? */
    public boolean isRequested(P peer, TxId txId) {
        PeerEntry<P> entry = byPeer.get(peer);
        Announcement<P> a = entry == null ? null : entry.announcements.get(txId);
        return a != null && a.state == State.REQUESTED;
    }

    /** REQUESTED announcements whose expiry is at or before {@code nowMillis} become COMPLETED. */
    public List<Expired<P>> expire(long nowMillis) {
        List<Announcement<P>> due = new ArrayList<>();
        for (Announcement<P> a : requested) {
            if (a.expiryMillis <= nowMillis) {
                due.add(a);
            }
        }
        List<Expired<P>> out = new ArrayList<>(due.size());
        for (Announcement<P> a : due) {
            complete(byPeer.get(a.peer), a);
            out.add(new Expired<>(a.peer, a.txId));
            forgetIfAllCompleted(a.txId);
        }
        return out;
    }

    /** The peers whose announcement of {@code txId} is not completed, oldest announcement first. */
    public List<P> pendingAnnouncers(TxId txId) {
        List<P> out = new ArrayList<>();
        for (Announcement<P> a : byTx.getOrDefault(txId, List.of())) {
            if (a.state != State.COMPLETED) {
                out.add(a.peer);
            }
        }
        return out;
    }

    /** Drops every announcement of {@code txId}. */
    public void forgetTxId(TxId txId) {
        List<Announcement<P>> all = byTx.remove(txId);
        if (all == null) {
            return;
        }
        for (Announcement<P> a : all) {
            removeFromPeer(a);
        }
    }

    /** Drops every announcement of {@code peer}; its in-flight txids fall back to other announcers. */
    public void disconnectedPeer(P peer) {
        PeerEntry<P> entry = byPeer.remove(peer);
        if (entry == null) {
            return;
        }
        for (Announcement<P> a : entry.announcements.values()) {
            requested.remove(a);
            List<Announcement<P>> forTx = byTx.get(a.txId);
            forTx.remove(a);
            if (forTx.isEmpty() || forTx.stream().allMatch(x -> x.state == State.COMPLETED)) {
                forgetTxId(a.txId);
            }
        }
    }

    public int inFlight(P peer) {
        PeerEntry<P> entry = byPeer.get(peer);
        return entry == null ? 0 : entry.inFlight;
    }

    public int announcementCount(P peer) {
        PeerEntry<P> entry = byPeer.get(peer);
        return entry == null ? 0 : entry.announcements.size();
    }

    /** Txids tracked (with at least one announcement not COMPLETED). */
    public int txCount() {
        return byTx.size();
    }

    public boolean isTracked(TxId txId) {
        return byTx.containsKey(txId);
    }

    /** Peers with at least one announcement. */
    public int peerCount() {
        return byPeer.size();
    }

    private void complete(PeerEntry<P> entry, Announcement<P> a) {
        if (a.state == State.REQUESTED) {
            entry.inFlight--;
            requested.remove(a);
        } else if (a.state == State.CANDIDATE) {
            entry.candidates.remove(a.txId);
        }
        a.state = State.COMPLETED;
    }

    private void forgetIfAllCompleted(TxId txId) {
        List<Announcement<P>> all = byTx.get(txId);
        if (all != null && all.stream().allMatch(x -> x.state == State.COMPLETED)) {
            forgetTxId(txId);
        }
    }

    private void removeFromPeer(Announcement<P> a) {
        PeerEntry<P> entry = byPeer.get(a.peer);
        if (entry == null) {
            return;
        }
        complete(entry, a);
        entry.announcements.remove(a.txId);
        if (entry.announcements.isEmpty()) {
            byPeer.remove(a.peer);
        }
    }

    /** Checks every rule and index; returns the violations (empty when consistent). For tests. */
    public List<String> sanityCheck() {
        List<String> problems = new ArrayList<>();
        int announcements = 0;
        int requestedCount = 0;
        for (Map.Entry<TxId, List<Announcement<P>>> e : byTx.entrySet()) {
            List<Announcement<P>> all = e.getValue();
            if (all.isEmpty()) {
                problems.add(e.getKey().shortHex() + ": txid kept without announcements");
                continue;
            }
            long req = all.stream().filter(a -> a.state == State.REQUESTED).count();
            if (req > 1) {
                problems.add(e.getKey().shortHex() + ": requested from " + req + " peers");
            }
            if (all.stream().allMatch(a -> a.state == State.COMPLETED)) {
                problems.add(e.getKey().shortHex() + ": all announcements completed but txid kept");
            }
            for (int i = 1; i < all.size(); i++) {
                if (all.get(i - 1).seq >= all.get(i).seq) {
                    problems.add(e.getKey().shortHex() + ": announcements out of order");
                }
            }
            for (Announcement<P> a : all) {
                announcements++;
                if (a.state == State.REQUESTED) {
                    requestedCount++;
                    if (!requested.contains(a)) {
                        problems.add(e.getKey().shortHex() + ": REQUESTED not in the expiry index");
                    }
                }
                PeerEntry<P> entry = byPeer.get(a.peer);
                if (entry == null || entry.announcements.get(a.txId) != a) {
                    problems.add(e.getKey().shortHex() + ": announcement missing from peer " + a.peer);
                } else if ((a.state == State.CANDIDATE) != entry.candidates.contains(a.txId)) {
                    problems.add(e.getKey().shortHex() + ": candidate index wrong for peer " + a.peer);
                }
            }
        }
        int perPeerTotal = 0;
        for (Map.Entry<P, PeerEntry<P>> e : byPeer.entrySet()) {
            PeerEntry<P> entry = e.getValue();
            perPeerTotal += entry.announcements.size();
            if (entry.announcements.isEmpty()) {
                problems.add("peer " + e.getKey() + " kept without announcements");
            }
            if (entry.announcements.size() > limits.maxAnnouncementsPerPeer()) {
                problems.add("peer " + e.getKey() + " over announcement bound: " + entry.announcements.size());
            }
            long req = entry.announcements.values().stream().filter(a -> a.state == State.REQUESTED).count();
            if (req != entry.inFlight) {
                problems.add("peer " + e.getKey() + " inFlight " + entry.inFlight + " but " + req + " REQUESTED");
            }
            if (entry.inFlight > limits.maxInFlightPerPeer()) {
                problems.add("peer " + e.getKey() + " over in-flight bound: " + entry.inFlight);
            }
            for (Announcement<P> a : entry.announcements.values()) {
                if (!byTx.getOrDefault(a.txId, List.of()).contains(a)) {
                    problems.add("peer " + e.getKey() + " holds " + a.txId.shortHex() + " unknown to the txid index");
                }
            }
        }
        if (perPeerTotal != announcements) {
            problems.add("indexes disagree: " + perPeerTotal + " by peer, " + announcements + " by txid");
        }
        if (requested.size() != requestedCount) {
            problems.add("expiry index holds " + requested.size() + ", REQUESTED " + requestedCount);
        }
        return problems;
    }
}
