package org.protoblock.p2p.discovery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.protoblock.p2p.identity.NodeId;

/**
 * The newest valid {@link SignedRecord} of each node we heard of: what answers lookups
 * ({@link RecordLookup}) and what peer exchange passes on beside the address book's hearsay.
 *
 * <p>Rules:
 * <ul>
 *   <li>A record with a sequence number above the one kept replaces it, once its signature
 *       verifies; a bad signature is {@link Outcome#FORGED} and changes nothing. Rationale: the
 *       sequence is compared first, so stale copies relayed by honest peers cost no verification.</li>
 *   <li>A lower sequence is {@link Outcome#ROLLED_BACK}, the same one {@link Outcome#DUPLICATE}: kept
 *       record unchanged. Neither is blamed on the sender: honest peers relay what they last heard.</li>
 *   <li>At most {@code capacity} records; beyond that the one updated or read least recently goes.</li>
 * </ul>
 *
 * <p>Costs: one Ed25519 verification (about one X25519 agreement's CPU) per record newer than the one kept; memory under
 * 3 KB per record, so ≤ 12 MB at the default capacity.
 *
 * <p>Persisted with the address book (records and their recency order), so a restarted node can
 * dial known nodes by id before any peer answers a lookup; restored ones are verified again.
 *
 * <p>Threads: not thread-safe; owned by discovery's thread.
 */
public final class RecordBook {
    public static final int DEFAULT_CAPACITY = 4096;

    /** What {@link #offer} did with a record. */
    public enum Outcome {
        ACCEPTED, DUPLICATE, ROLLED_BACK, FORGED
    }

    private final int capacity;
    private final LinkedHashMap<NodeId, SignedRecord> records;
    private long version;

    public RecordBook(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.records = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<NodeId, SignedRecord> eldest) {
                return size() > RecordBook.this.capacity;
            }
        };
    }

    public Outcome offer(SignedRecord record) {
        SignedRecord kept = records.get(record.nodeId());
        if (kept != null && record.sequence() < kept.sequence()) {
            return Outcome.ROLLED_BACK;
        }
        if (kept != null && record.sequence() == kept.sequence()) {
            return Outcome.DUPLICATE;
        }
        if (!record.verifies()) {
            return Outcome.FORGED;
        }
        records.put(record.nodeId(), record);
        version++;
        return Outcome.ACCEPTED;
    }

    public Optional<SignedRecord> get(NodeId id) {
        return Optional.ofNullable(records.get(id));
    }

    public void remove(NodeId id) {
        if (records.remove(id) != null) {
            version++;
        }
    }

    /** Every record, least recently updated or read first (the order {@link #offer} restores). */
    public List<SignedRecord> all() {
        return List.copyOf(records.values());
    }

    /** Changes with every accepted or removed record (what a flush compares). */
    public long version() {
        return version;
    }

    public int size() {
        return records.size();
    }

    /** Problems with the book's invariants (for tests); empty when consistent. */
    public List<String> sanityCheck() {
        List<String> problems = new ArrayList<>();
        if (records.size() > capacity) {
            problems.add(records.size() + " records over capacity " + capacity);
        }
        records.forEach((id, r) -> {
            if (!id.equals(r.nodeId())) {
                problems.add("record of " + r.nodeId() + " kept under " + id);
            }
        });
        return problems;
    }
}
