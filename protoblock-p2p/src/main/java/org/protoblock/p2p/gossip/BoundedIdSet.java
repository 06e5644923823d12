package org.protoblock.p2p.gossip;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A set that keeps at most {@code capacity} ids, forgetting the least recently added first.
 *
 * <p>Rules: {@link #add} of a present id moves it to the newest position (it was just seen again,
 * so it is the last one worth forgetting); adding to a full set evicts the oldest. Rationale: the
 * sets built on it (what a peer knows, what we rejected, what the chain recently included) are
 * hints that save traffic; forgetting an old entry costs at most one redundant message, while an
 * unbounded set would let a peer grow our memory at will.
 *
 * <p>Cost: O(1) per operation; memory O(capacity). Not thread-safe: owned by one executor.
 */
public final class BoundedIdSet<K> {
    private final int capacity;
    private final LinkedHashSet<K> ids = new LinkedHashSet<>();

    public BoundedIdSet(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity < 1: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Adds {@code id} as the newest entry; returns true if it was absent. */
    public boolean add(K id) {
        boolean absent = !ids.remove(id);
        ids.add(id);
        if (ids.size() > capacity) {
            Iterator<K> oldest = ids.iterator();
            oldest.next();
            oldest.remove();
        }
        return absent;
    }

    public boolean contains(K id) {
        return ids.contains(id);
    }

    public boolean remove(K id) {
        return ids.remove(id);
    }

    public void clear() {
        ids.clear();
    }

    public int size() {
        return ids.size();
    }

    public int capacity() {
        return capacity;
    }

    /** Oldest first. */
    public List<K> snapshot() {
        return new ArrayList<>(ids);
    }
}
