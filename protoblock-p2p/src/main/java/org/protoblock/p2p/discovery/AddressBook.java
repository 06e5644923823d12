package org.protoblock.p2p.discovery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * Where other nodes can be reached, organised so that no single source or address group can fill
 * our view of the network (an eclipse), after Bitcoin Core's addrman. A plain data structure: no
 * I/O, no clock (callers pass {@code now}), no threads.
 *
 * <h2>Structure</h2>
 * One entry per {@link NodeId}: one address, the group of whoever told us ({@code source}), last
 * seen / last try / last success and failed attempts. Every entry sits in exactly one slot of one
 * of two tables of {@link Limits#bucketSize()}-slot buckets:
 * <ul>
 *   <li><b>new</b> ({@link Limits#newBuckets()} buckets): addresses we heard of but never verified.</li>
 *   <li><b>tried</b> ({@link Limits#triedBuckets()} buckets): addresses at which we completed an
 *       outbound handshake ourselves.</li>
 * </ul>
 * Positions are keyed hashes with a per-node secret {@code k} (persisted with the book), so a peer
 * cannot aim at buckets.
 *
 * <h2>Rules</h2>
 * <ol>
 *   <li><b>New placement.</b> bucket = H(k, source, H(k, group, source) mod
 *       {@code newBucketsPerSourceGroup}) mod {@code newBuckets}; slot = H(k, bucket, node id) mod
 *       {@code bucketSize}. Rationale: one source group reaches at most {@code newBucketsPerSourceGroup}
 *       buckets (default 16 × 32 = 512 of 8192 slots) however many addresses it sends.</li>
 *   <li><b>Tried placement.</b> bucket = H(k, group, H(k, node id) mod {@code triedBucketsPerGroup})
 *       mod {@code triedBuckets}. Rationale: the nodes of one address group take at most
 *       {@code triedBucketsPerGroup} tried buckets (default 4 × 32 = 128 of 2048 slots).</li>
 *   <li><b>New collisions.</b> A newcomer whose new slot is taken replaces the occupant only if the
 *       occupant is terrible (rule 9); otherwise the newcomer is dropped. Rationale: a flood cannot
 *       push out useful entries.</li>
 *   <li><b>Hearsay does not overwrite.</b> {@link #add} (gossip, Hello, seeds, LAN) does not change
 *       the address of a known node id; for the same address it only moves last-seen forward.
 *       Rationale: what we verified outranks what we were told, and the first address heard for an
 *       unverified node cannot be redirected by a later flood.</li>
 *   <li><b>Failed hearsay may be redirected.</b> Exception to rule 4: an entry never verified (not
 *       tried, never a success) whose address failed at least one dial takes a new address from a
 *       source in another group than the one that told us the old address; attempts and last try
 *       start over and the entry moves to its new-table slot (if that slot holds another useful
 *       entry, nothing changes). Rationale: a flood can only redirect addresses that do not work,
 *       while a wrong first address (a LAN beacon's source address for a node that listens on
 *       loopback, a stale or private address) no longer hides the right one until it ages out.</li>
  <li><b>Verification.</b> {@link #good} (an outbound handshake with that node id at that address
 *       succeeded) sets the address, resets attempts and moves the entry to tried.</li>
 *   <li><b>Test-before-evict.</b> If the tried slot is held by another entry, the newcomer stays in
 *       new and the pair is queued as a collision (at most {@code maxCollisions}). The dialer
 *       dials the occupant ({@link #selectTriedCollision}); {@link #resolveCollisions} then keeps the
 *       occupant if it answered (success within {@link #REPLACEMENT}), evicts it to new if it failed
 *       a try more than a minute ago, or after {@link #TEST_WINDOW} with no verdict. Rationale: an
 *       attacker who makes us connect to many of its addresses cannot push out working peers.</li>
 *   <li><b>Failed attempts.</b> {@link #attempt} counts a failed dial. An unverified entry is dropped
 *       after {@link #RETRIES} failures, or at once for a feeler (a test of a new address).</li>
 *   <li><b>Terrible.</b> Not tried within the last minute, and: last seen more than 10 min in the
 *       future or more than 30 days ago, or never succeeded after {@link #RETRIES} attempts, or no
 *       success for 7 days and {@link #MAX_FAILURES} attempts. Terrible entries are not shared and
 *       are the first to be replaced.</li>
 *   <li><b>Selection.</b> {@link #select} picks tried or new with equal odds, then a uniformly random
 *       non-empty bucket, then a random entry in it, accepted with a chance that falls with recent and
 *       failed attempts (and rises with every refusal, so it ends). Rationale: buckets, not entries,
 *       have equal weight, so the groups that fill many entries gain nothing.</li>
 * </ol>
 *
 * <h2>Bounds</h2>
 * At most {@code (newBuckets + triedBuckets) × bucketSize} entries (default 10 240, about 2 MB),
 * {@code maxCollisions} collisions; selection tries at most {@link #SELECT_TRIES} picks; H is SHA-256.
 *
 * <p>Threads: not thread-safe. {@link Discovery}'s thread owns it.
 */
public final class AddressBook {
    public static final Duration HORIZON = Duration.ofDays(30);
    public static final Duration MAX_FUTURE = Duration.ofMinutes(10);
    public static final Duration REPLACEMENT = Duration.ofHours(4);
    public static final Duration TEST_WINDOW = Duration.ofMinutes(40);
    public static final Duration MIN_FAIL = Duration.ofDays(7);
    public static final Duration RECENT_TRY = Duration.ofMinutes(1);
    public static final int RETRIES = 3;
    public static final int MAX_FAILURES = 10;
    public static final int SELECT_TRIES = 200;

    /** Table sizes; see the class comment. */
    public record Limits(int newBuckets, int triedBuckets, int bucketSize, int newBucketsPerSourceGroup,
                         int triedBucketsPerGroup, int maxCollisions) {
        public Limits {
            if (newBuckets < 1 || triedBuckets < 1 || bucketSize < 1 || newBucketsPerSourceGroup < 1
                    || triedBucketsPerGroup < 1 || maxCollisions < 0) {
                throw new IllegalArgumentException("bad address book limits");
            }
        }

        /** Quarter of Bitcoin Core's tables: a small network's book, about 2 MB at most. */
        public static Limits defaults() {
            return new Limits(256, 64, 32, 16, 4, 10);
        }

        public int capacity() {
            return (newBuckets + triedBuckets) * bucketSize;
        }
    }

    public enum AddOutcome {
        /** A new entry. */
        ADDED,
        /** Known at this address; last seen moved forward. */
        REFRESHED,
        /** Known already (possibly at another address, which was kept): nothing changed. */
        KNOWN,
        /** Known at an address that failed and was never verified: now at the new one (rule 5). */
        REDIRECTED,
        /** Its slot in new is held by a useful entry: dropped. */
        COLLISION
    }

    public enum GoodOutcome { MOVED_TO_TRIED, ALREADY_TRIED, COLLISION, DROPPED }

    /** A verified newcomer waiting for the tried entry in its slot to be tested. */
    private record Collision(NodeId newcomer, NodeId occupant, Instant since) {
    }

    /** Mutable entry; only this class and {@link BucketTable} touch it. */
    static final class Entry {
        final NodeId id;
        PeerAddress address;
        AddressGroup group;
        AddressGroup source;
        Instant lastSeen;
        Instant lastTry;
        Instant lastSuccess;
        int attempts;
        boolean tried;
        int bucket = -1;
        int slot = -1;

        Entry(NodeId id, PeerAddress address, AddressGroup source, Instant lastSeen) {
            this.id = id;
            this.address = address;
            this.group = AddressGroup.of(address);
            this.source = source;
            this.lastSeen = lastSeen;
        }
    }

    private final byte[] secret;
    private final Limits limits;
    private final Random random;
    private final MessageDigest sha256;
    private final BucketTable newTable;
    private final BucketTable triedTable;
    private final Map<NodeId, Entry> byId = new HashMap<>();
    private final Map<NodeId, Collision> collisions = new LinkedHashMap<>();
    private long version;

    public AddressBook(byte[] secret, Limits limits, Random random) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("secret too short");
        }
        this.secret = secret.clone();
        this.limits = limits;
        this.random = random;
        this.newTable = new BucketTable(limits.newBuckets(), limits.bucketSize());
        this.triedTable = new BucketTable(limits.triedBuckets(), limits.bucketSize());
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the JDK", e);
        }
    }

    public static byte[] newSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    public byte[] secret() {
        return secret.clone();
    }

    public Limits limits() {
        return limits;
    }

    public int size() {
        return byId.size();
    }

    public int newCount() {
        return newTable.size();
    }

    public int triedCount() {
        return triedTable.size();
    }

    public int collisionCount() {
        return collisions.size();
    }

    /** Bumped by every change; the persistence layer writes only when it moved. */
    public long version() {
        return version;
    }

    public boolean contains(NodeId id) {
        return byId.containsKey(id);
    }

    public Optional<KnownPeer> get(NodeId id) {
        return Optional.ofNullable(byId.get(id)).map(AddressBook::snapshot);
    }

    public List<KnownPeer> entries() {
        List<KnownPeer> all = new ArrayList<>(byId.size());
        byId.values().forEach(e -> all.add(snapshot(e)));
        return all;
    }

    /** Hearsay: {@code source} says {@code id} is at {@code address}, last seen at {@code claimedLastSeen}. Rules 1, 3, 4, 5. */
    public AddOutcome add(NodeId id, PeerAddress address, Instant claimedLastSeen, AddressGroup source, Instant now) {
        Instant seen = sanitizeSeen(claimedLastSeen, now);
        Entry e = byId.get(id);
        if (e != null) {
            if (e.address.equals(address) && seen.isAfter(e.lastSeen)) {
                e.lastSeen = seen;
                version++;
                return AddOutcome.REFRESHED;
            }
            return redirectable(e, address, source) && redirect(e, address, seen, source, now)
                    ? AddOutcome.REDIRECTED : AddOutcome.KNOWN;
        }
        e = new Entry(id, address, source, seen);
        int[] pos = newPosition(e);
        Entry occupant = newTable.get(pos[0], pos[1]);
        if (occupant != null) {
            if (!isTerrible(occupant, now)) {
                return AddOutcome.COLLISION;
            }
            removeEntry(occupant);
        }
        byId.put(id, e);
        place(newTable, e, pos);
        version++;
        return AddOutcome.ADDED;
    }

    /** We completed an outbound handshake with {@code id} at {@code address}. Rules 6 and 7. */
    public GoodOutcome good(NodeId id, PeerAddress address, Instant now) {
        Entry e = byId.get(id);
        if (e == null) {
            e = new Entry(id, address, AddressGroup.of(address), now);
            byId.put(id, e);
        } else if (!e.address.equals(address)) {
            unplace(e);
            e.address = address;
            e.group = AddressGroup.of(address);
        }
        e.lastSeen = now;
        e.lastTry = now;
        e.lastSuccess = now;
        e.attempts = 0;
        version++;
        if (e.tried) {
            return GoodOutcome.ALREADY_TRIED;
        }
        int[] pos = triedPosition(e);
        Entry occupant = triedTable.get(pos[0], pos[1]);
        if (occupant == null) {
            unplace(e);
            place(triedTable, e, pos);
            collisions.remove(id);
            return GoodOutcome.MOVED_TO_TRIED;
        }
        if (e.bucket < 0 && !placeInNew(e, now)) {
            byId.remove(id);
            collisions.remove(id);
            return GoodOutcome.DROPPED;
        }
        if (!collisions.containsKey(id) && collisions.size() < limits.maxCollisions()) {
            collisions.put(id, new Collision(id, occupant.id, now));
        }
        return GoodOutcome.COLLISION;
    }

    /** A dial to {@code id} failed (rule 8); a feeler's failure drops an unverified entry at once. */
    public void attempt(NodeId id, Instant now, boolean feeler) {
        Entry e = byId.get(id);
        if (e == null) {
            return;
        }
        e.lastTry = now;
        e.attempts++;
        version++;
        if (!e.tried && e.lastSuccess == null && (feeler || e.attempts >= RETRIES)) {
            removeEntry(e);
        }
    }

    /** We were linked to {@code id} until now (either direction): it was up. */
    public void seen(NodeId id, Instant now) {
        Entry e = byId.get(id);
        if (e != null && now.isAfter(e.lastSeen)) {
            e.lastSeen = now;
            version++;
        }
    }

    public boolean remove(NodeId id) {
        Entry e = byId.get(id);
        if (e == null) {
            return false;
        }
        removeEntry(e);
        return true;
    }

    /** Rule 10. {@code eligible} filters out connected, banned or over-represented nodes. */
    public Optional<KnownPeer> select(boolean newOnly, Instant now, Predicate<KnownPeer> eligible) {
        double factor = 1.0;
        for (int i = 0; i < SELECT_TRIES; i++) {
            BucketTable table;
            if (newOnly || triedTable.size() == 0) {
                table = newTable;
            } else if (newTable.size() == 0) {
                table = triedTable;
            } else {
                table = random.nextBoolean() ? triedTable : newTable;
            }
            Entry e = table.random(random);
            if (e == null) {
                return Optional.empty();
            }
            KnownPeer candidate = snapshot(e);
            if (!eligible.test(candidate)) {
                continue;
            }
            if (random.nextDouble() < factor * chance(e, now)) {
                return Optional.of(candidate);
            }
            factor *= 1.2;
        }
        return Optional.empty();
    }

    /** Up to {@code max} random entries that are not terrible, for a GetPeers answer. */
    public List<KnownPeer> sample(int max, Instant now) {
        List<Entry> good = new ArrayList<>();
        for (Entry e : byId.values()) {
            if (!isTerrible(e, now)) {
                good.add(e);
            }
        }
        Collections.shuffle(good, random);
        List<KnownPeer> out = new ArrayList<>(Math.min(max, good.size()));
        for (int i = 0; i < good.size() && i < max; i++) {
            out.add(snapshot(good.get(i)));
        }
        return out;
    }

    /** The tried occupant of a random pending collision: the dialer tests it with a feeler. */
    public Optional<KnownPeer> selectTriedCollision() {
        if (collisions.isEmpty()) {
            return Optional.empty();
        }
        List<Collision> all = new ArrayList<>(collisions.values());
        Entry occupant = byId.get(all.get(random.nextInt(all.size())).occupant());
        return Optional.ofNullable(occupant).map(AddressBook::snapshot);
    }

    /** Rule 7: settles collisions whose occupant was tested (or could not be, in time). */
    public void resolveCollisions(Instant now) {
        for (Collision c : new ArrayList<>(collisions.values())) {
            if (!collisions.containsKey(c.newcomer())) {
                continue; // settled by an earlier eviction in this pass
            }
            Entry newcomer = byId.get(c.newcomer());
            Entry old = byId.get(c.occupant());
            if (newcomer == null || newcomer.tried || old == null || !old.tried) {
                collisions.remove(c.newcomer());
                continue;
            }
            int[] pos = triedPosition(newcomer);
            Entry current = triedTable.get(pos[0], pos[1]);
            if (current != old) {
                collisions.remove(c.newcomer());
                if (current == null) {
                    unplace(newcomer);
                    place(triedTable, newcomer, pos);
                    version++;
                }
                continue;
            }
            if (old.lastSuccess != null && Duration.between(old.lastSuccess, now).compareTo(REPLACEMENT) < 0) {
                collisions.remove(c.newcomer()); // the occupant works: keep it
            } else if (old.lastTry != null && Duration.between(old.lastTry, now).compareTo(REPLACEMENT) < 0) {
                if (Duration.between(old.lastTry, now).compareTo(RECENT_TRY) > 0) {
                    evict(old, newcomer, pos, now); // tried and failed a while ago
                    collisions.remove(c.newcomer());
                }
            } else if (Duration.between(c.since(), now).compareTo(TEST_WINDOW) > 0) {
                evict(old, newcomer, pos, now); // no verdict in time
                collisions.remove(c.newcomer());
            }
        }
    }

    /**
     * Puts a persisted entry back: tried entries into tried (or new if their slot is taken), new
     * ones into new; dropped on a collision. Returns whether it was kept.
     */
    public boolean restore(KnownPeer p, Instant now) {
        if (byId.containsKey(p.nodeId())) {
            return false;
        }
        Entry e = new Entry(p.nodeId(), p.address(), p.sourceGroup(), p.lastSeen());
        e.lastTry = p.lastTry().orElse(null);
        e.lastSuccess = p.lastSuccess().orElse(null);
        e.attempts = p.attempts();
        if (p.tried()) {
            int[] pos = triedPosition(e);
            if (triedTable.get(pos[0], pos[1]) == null) {
                byId.put(e.id, e);
                place(triedTable, e, pos);
                version++;
                return true;
            }
        }
        int[] pos = newPosition(e);
        if (newTable.get(pos[0], pos[1]) != null) {
            return false;
        }
        byId.put(e.id, e);
        place(newTable, e, pos);
        version++;
        return true;
    }

    /** Rule 9. */
    public boolean isTerrible(KnownPeer p, Instant now) {
        Entry e = byId.get(p.nodeId());
        return e != null && isTerrible(e, now);
    }

    /** Every structural invariant; empty when consistent. For tests. */
    public List<String> sanityCheck() {
        List<String> problems = new ArrayList<>();
        newTable.check("new", problems);
        triedTable.check("tried", problems);
        if (newTable.size() + triedTable.size() != byId.size()) {
            problems.add("tables hold " + (newTable.size() + triedTable.size()) + " entries, index " + byId.size());
        }
        for (Entry e : byId.values()) {
            BucketTable table = e.tried ? triedTable : newTable;
            if (e.bucket < 0 || table.get(e.bucket, e.slot) != e) {
                problems.add("entry " + e.id + " not at its recorded slot");
                continue;
            }
            int[] expected = e.tried ? triedPosition(e) : newPosition(e);
            if (expected[0] != e.bucket || expected[1] != e.slot) {
                problems.add("entry " + e.id + " at " + e.bucket + "/" + e.slot + ", hash says " + expected[0] + "/" + expected[1]);
            }
            if (!e.group.equals(AddressGroup.of(e.address))) {
                problems.add("entry " + e.id + " group out of date");
            }
            if (e.attempts < 0) {
                problems.add("entry " + e.id + " negative attempts");
            }
        }
        if (collisions.size() > limits.maxCollisions()) {
            problems.add(collisions.size() + " collisions over the bound " + limits.maxCollisions());
        }
        for (Collision c : collisions.values()) {
            if (!byId.containsKey(c.newcomer())) {
                problems.add("collision of unknown newcomer " + c.newcomer());
            }
        }
        if (byId.size() > limits.capacity()) {
            problems.add(byId.size() + " entries over capacity " + limits.capacity());
        }
        return problems;
    }

    // ---- internals ----

    /** Rule 5: unverified, failed at its address, and the news comes from another source group. */
    private static boolean redirectable(Entry e, PeerAddress address, AddressGroup source) {
        return !e.tried && e.lastSuccess == null && e.attempts > 0 && !e.address.equals(address)
                && !e.source.equals(source);
    }

    /** Moves an unverified entry to {@code address}; false (entry unchanged) if its new slot holds a useful entry. */
    private boolean redirect(Entry e, PeerAddress address, Instant seen, AddressGroup source, Instant now) {
        PeerAddress oldAddress = e.address;
        AddressGroup oldGroup = e.group;
        AddressGroup oldSource = e.source;
        int oldBucket = e.bucket;
        int oldSlot = e.slot;
        e.address = address;
        e.group = AddressGroup.of(address);
        e.source = source;
        int[] pos = newPosition(e);
        Entry occupant = newTable.get(pos[0], pos[1]);
        if (occupant != null && occupant != e && !isTerrible(occupant, now)) {
            e.address = oldAddress;
            e.group = oldGroup;
            e.source = oldSource;
            return false;
        }
        newTable.clear(oldBucket, oldSlot);
        e.bucket = -1;
        e.slot = -1;
        if (occupant != null && occupant != e) {
            removeEntry(occupant);
        }
        place(newTable, e, pos);
        e.lastSeen = seen;
        e.lastTry = null;
        e.attempts = 0;
        version++;
        return true;
    }

    private void evict(Entry old, Entry newcomer, int[] pos, Instant now) {
        unplace(old);
        if (!placeInNew(old, now)) {
            byId.remove(old.id);
            collisions.remove(old.id);
        }
        unplace(newcomer);
        place(triedTable, newcomer, pos);
        version++;
    }

    /** Places an unplaced entry in new, replacing a terrible occupant; false if a useful one holds the slot. */
    private boolean placeInNew(Entry e, Instant now) {
        int[] pos = newPosition(e);
        Entry occupant = newTable.get(pos[0], pos[1]);
        if (occupant != null) {
            if (!isTerrible(occupant, now)) {
                return false;
            }
            removeEntry(occupant);
        }
        place(newTable, e, pos);
        return true;
    }

    private void place(BucketTable table, Entry e, int[] pos) {
        table.put(pos[0], pos[1], e);
        e.bucket = pos[0];
        e.slot = pos[1];
        e.tried = table == triedTable;
    }

    private void unplace(Entry e) {
        if (e.bucket >= 0) {
            (e.tried ? triedTable : newTable).clear(e.bucket, e.slot);
        }
        e.bucket = -1;
        e.slot = -1;
        e.tried = false;
    }

    private void removeEntry(Entry e) {
        unplace(e);
        byId.remove(e.id);
        collisions.remove(e.id);
        version++;
    }

    private boolean isTerrible(Entry e, Instant now) {
        if (e.lastTry != null && Duration.between(e.lastTry, now).compareTo(RECENT_TRY) < 0) {
            return false;
        }
        if (e.lastSeen.isAfter(now.plus(MAX_FUTURE)) || Duration.between(e.lastSeen, now).compareTo(HORIZON) > 0) {
            return true;
        }
        if (e.lastSuccess == null && e.attempts >= RETRIES) {
            return true;
        }
        return e.lastSuccess != null && Duration.between(e.lastSuccess, now).compareTo(MIN_FAIL) > 0
                && e.attempts >= MAX_FAILURES;
    }

    private static double chance(Entry e, Instant now) {
        double c = 1.0;
        if (e.lastTry != null && Duration.between(e.lastTry, now).compareTo(Duration.ofMinutes(10)) < 0) {
            c *= 0.01;
        }
        return c * Math.pow(0.66, Math.min(e.attempts, 8));
    }

    /** A claim in the future is clamped to now; far in the future it reads as stale (5 days old). */
    private static Instant sanitizeSeen(Instant claimed, Instant now) {
        if (claimed.isAfter(now.plus(MAX_FUTURE))) {
            return now.minus(Duration.ofDays(5));
        }
        return claimed.isAfter(now) ? now : claimed;
    }

    private int[] newPosition(Entry e) {
        long inner = Long.remainderUnsigned(hash("n", e.group.key(), e.source.key()), limits.newBucketsPerSourceGroup());
        int bucket = (int) Long.remainderUnsigned(hash("N", e.source.key(), Long.toString(inner)), limits.newBuckets());
        int slot = (int) Long.remainderUnsigned(hash("s-new", Integer.toString(bucket), e.id.hex()), limits.bucketSize());
        return new int[] {bucket, slot};
    }

    private int[] triedPosition(Entry e) {
        long inner = Long.remainderUnsigned(hash("t", e.id.hex()), limits.triedBucketsPerGroup());
        int bucket = (int) Long.remainderUnsigned(hash("T", e.group.key(), Long.toString(inner)), limits.triedBuckets());
        int slot = (int) Long.remainderUnsigned(hash("s-tried", Integer.toString(bucket), e.id.hex()), limits.bucketSize());
        return new int[] {bucket, slot};
    }

    private long hash(String... parts) {
        sha256.reset();
        sha256.update(secret);
        for (String part : parts) {
            sha256.update(part.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
        }
        byte[] d = sha256.digest();
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (d[i] & 0xff);
        }
        return h;
    }

    private static KnownPeer snapshot(Entry e) {
        return new KnownPeer(e.id, e.address, e.source, e.lastSeen, Optional.ofNullable(e.lastTry),
                Optional.ofNullable(e.lastSuccess), e.attempts, e.tried);
    }
}
