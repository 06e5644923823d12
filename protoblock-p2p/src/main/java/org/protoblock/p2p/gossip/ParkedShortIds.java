package org.protoblock.p2p.gossip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Short ids peers announced that we cannot resolve (we lack the transaction), until a body that
 * arrives meanwhile resolves them or they are handed out, one announcer at a time, to be fetched by
 * short id. No I/O; callers pass the time.
 *
 * <p>Short ids are salted per link, so the same transaction reaches us under a different short id
 * from each announcer and we cannot tell that two unresolved announcements name the same
 * transaction. The rules keep each body crossing to each node about once anyway:
 * <ul>
 *   <li>Park order: every parked short id gets the next ordinal; a request in flight carries the
 *       lowest ordinal it fetches (a request by full ids: the next ordinal at its sending).</li>
 *   <li>Wait for what may be on its way: a short id is due only when no request in flight carries
 *       a lower ordinal than its own, or after {@code maxWaitMillis}. Rationale: a request for an
 *       earlier announcement may be bringing this very transaction; when it has completed, its
 *       bodies have resolved the short ids they answer. The cap bounds what a silent or slow peer
 *       costs the others (and TxGossip scores a peer whose
 *       wave times out).</li>
 *   <li>One announcer per wave: {@link #takeDue} hands out the oldest due short id and, with it,
 *       that announcer's later due ones, for one request; every later short id of other announcers
 *       then waits for that request (previous rule). Rationale: taking due short ids of several
 *       announcers at once would fetch a transaction from each of them.</li>
 *   <li>Parked with nothing in flight: due at once, so an idle node fetches without delay.</li>
 *   <li>Bounded: at most {@code capacityPerPeer} per peer (more are dropped: the transaction comes
 *       from another announcer or mempool sync); entries exist from {@link #addPeer} to
 *       {@link #removePeer}.</li>
 * </ul>
 * Due-ness only decreases along the park order (a later short id waits for at least as many
 * requests and has waited less), so {@link #takeDue} stops at the first short id that is not due.
 *
 * <p>Memory O(peers × capacityPerPeer + requests in flight). Threads: not thread-safe; owned by the
 * gossip executor.
 */
final class ParkedShortIds<P> {
    /** A parked short id, or a wave handed out: {@code peer}'s short ids to request. */
    record Wave<P>(P peer, List<Long> shortIds, long minOrdinal) {
    }

    private record Parked<P>(P peer, long shortId, long parkedAtMillis) {
    }

    private final int capacityPerPeer;
    private final long maxWaitMillis;
    /** Every parked short id by ordinal (the park order). */
    private final TreeMap<Long, Parked<P>> byOrdinal = new TreeMap<>();
    /** Per peer: short id → ordinal. */
    private final Map<P, LinkedHashMap<Long, Long>> byPeer = new HashMap<>();
    /** Requests in flight: sequence → lowest ordinal it carries; and those ordinals counted. */
    private final Map<Long, Long> inFlight = new HashMap<>();
    private final TreeMap<Long, Integer> inFlightOrdinals = new TreeMap<>();
    private long nextOrdinal;
    private long nextRequest;

    ParkedShortIds(int capacityPerPeer, long maxWaitMillis) {
        if (capacityPerPeer < 1 || maxWaitMillis < 0) {
            throw new IllegalArgumentException("capacityPerPeer < 1 or maxWaitMillis < 0");
        }
        this.capacityPerPeer = capacityPerPeer;
        this.maxWaitMillis = maxWaitMillis;
    }

    void addPeer(P peer) {
        byPeer.putIfAbsent(peer, new LinkedHashMap<>());
    }

    void removePeer(P peer) {
        LinkedHashMap<Long, Long> parked = byPeer.remove(peer);
        if (parked != null) {
            parked.values().forEach(byOrdinal::remove);
        }
    }

    /** Parks {@code sid} announced by {@code peer}; false when the peer is absent, already parked it, or is full. */
    boolean park(P peer, long sid, long nowMillis) {
        LinkedHashMap<Long, Long> parked = byPeer.get(peer);
        if (parked == null || parked.containsKey(sid) || parked.size() >= capacityPerPeer) {
            return false;
        }
        long ordinal = nextOrdinal++;
        parked.put(sid, ordinal);
        byOrdinal.put(ordinal, new Parked<>(peer, sid, nowMillis));
        return true;
    }

    /** A body under {@code sid} (on this peer's link) arrived: no longer to be fetched. */
    boolean resolve(P peer, long sid) {
        LinkedHashMap<Long, Long> parked = byPeer.get(peer);
        Long ordinal = parked == null ? null : parked.remove(sid);
        if (ordinal == null) {
            return false;
        }
        byOrdinal.remove(ordinal);
        return true;
    }

    /** The next wave: the oldest due short id's announcer with up to {@code max} of its due short ids, oldest first. */
    Optional<Wave<P>> takeDue(long nowMillis, int max) {
        if (byOrdinal.isEmpty() || max < 1) {
            return Optional.empty();
        }
        Map.Entry<Long, Parked<P>> oldest = byOrdinal.firstEntry();
        if (!isDue(oldest.getKey(), oldest.getValue(), nowMillis)) {
            return Optional.empty();
        }
        P peer = oldest.getValue().peer();
        List<Long> shortIds = new ArrayList<>();
        Iterator<Map.Entry<Long, Long>> it = byPeer.get(peer).entrySet().iterator();
        while (it.hasNext() && shortIds.size() < max) {
            Map.Entry<Long, Long> e = it.next();
            if (!isDue(e.getValue(), byOrdinal.get(e.getValue()), nowMillis)) {
                break;
            }
            shortIds.add(e.getKey());
            byOrdinal.remove(e.getValue());
            it.remove();
        }
        return Optional.of(new Wave<>(peer, shortIds, oldest.getKey()));
    }

    private boolean isDue(long ordinal, Parked<P> parked, long nowMillis) {
        return inFlightOrdinals.isEmpty() || inFlightOrdinals.firstKey() > ordinal
                || nowMillis - parked.parkedAtMillis() >= maxWaitMillis;
    }

    /** A request by full ids is sent: short ids parked from now on wait for it. Returns its number for {@link #requestDone}. */
    long fullIdRequestSent() {
        return requestSent(nextOrdinal);
    }

    /** {@code wave}'s request is sent. Returns its number for {@link #requestDone}. */
    long waveSent(Wave<P> wave) {
        return requestSent(wave.minOrdinal());
    }

    private long requestSent(long minOrdinal) {
        long seq = nextRequest++;
        inFlight.put(seq, minOrdinal);
        inFlightOrdinals.merge(minOrdinal, 1, Integer::sum);
        return seq;
    }

    /** Request {@code seq} completed (answered, failed or timed out), after its bodies resolved what they answer. */
    void requestDone(long seq) {
        Long minOrdinal = inFlight.remove(seq);
        if (minOrdinal != null) {
            inFlightOrdinals.computeIfPresent(minOrdinal, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    /** Whether no short id is parked (none waits to be fetched). */
    boolean isEmpty() {
        return byOrdinal.isEmpty();
    }

    int count(P peer) {
        LinkedHashMap<Long, Long> parked = byPeer.get(peer);
        return parked == null ? 0 : parked.size();
    }

    /** Consistency check for tests: bounds, and the per-peer and global indexes agree. */
    List<String> sanityCheck() {
        List<String> problems = new ArrayList<>();
        int total = 0;
        for (Map.Entry<P, LinkedHashMap<Long, Long>> e : byPeer.entrySet()) {
            LinkedHashMap<Long, Long> parked = e.getValue();
            total += parked.size();
            if (parked.size() > capacityPerPeer) {
                problems.add("peer " + e.getKey() + " has " + parked.size() + " parked short ids > " + capacityPerPeer);
            }
            long last = -1;
            for (Map.Entry<Long, Long> p : parked.entrySet()) {
                Parked<P> global = byOrdinal.get(p.getValue());
                if (global == null || !global.peer().equals(e.getKey()) || global.shortId() != p.getKey()) {
                    problems.add("peer " + e.getKey() + ": short id " + p.getKey() + " missing from the park order");
                }
                if (p.getValue() <= last) {
                    problems.add("peer " + e.getKey() + ": short ids out of park order");
                }
                last = p.getValue();
            }
        }
        if (total != byOrdinal.size()) {
            problems.add(byOrdinal.size() + " short ids in the park order, " + total + " by peer");
        }
        int counted = inFlightOrdinals.values().stream().mapToInt(Integer::intValue).sum();
        if (counted != inFlight.size()) {
            problems.add(inFlight.size() + " requests in flight, " + counted + " counted");
        }
        return problems;
    }
}
