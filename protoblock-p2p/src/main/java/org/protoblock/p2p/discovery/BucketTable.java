package org.protoblock.p2p.discovery;

import java.util.Arrays;
import java.util.Random;

/**
 * A fixed grid of buckets × slots holding {@code AddressBook} entries, with the list of non-empty
 * buckets kept up to date so that a uniformly random non-empty bucket is found in O(1).
 * Rationale: selection weighs every bucket equally (not every entry), so a source that fills
 * its few buckets does not get picked more often. Not thread-safe; owned by the address book.
 */
final class BucketTable {
    private final AddressBook.Entry[][] slots;
    private final int[] counts;
    private final int[] nonEmpty;
    private final int[] nonEmptyIndex;
    private int nonEmptyCount;
    private int size;

    BucketTable(int buckets, int bucketSize) {
        slots = new AddressBook.Entry[buckets][bucketSize];
        counts = new int[buckets];
        nonEmpty = new int[buckets];
        nonEmptyIndex = new int[buckets];
        Arrays.fill(nonEmptyIndex, -1);
    }

    int buckets() {
        return slots.length;
    }

    int bucketSize() {
        return slots[0].length;
    }

    int size() {
        return size;
    }

    int count(int bucket) {
        return counts[bucket];
    }

    AddressBook.Entry get(int bucket, int slot) {
        return slots[bucket][slot];
    }

    void put(int bucket, int slot, AddressBook.Entry entry) {
        if (slots[bucket][slot] != null) {
            throw new IllegalStateException("slot " + bucket + "/" + slot + " is taken");
        }
        slots[bucket][slot] = entry;
        size++;
        if (counts[bucket]++ == 0) {
            nonEmptyIndex[bucket] = nonEmptyCount;
            nonEmpty[nonEmptyCount++] = bucket;
        }
    }

    void clear(int bucket, int slot) {
        if (slots[bucket][slot] == null) {
            return;
        }
        slots[bucket][slot] = null;
        size--;
        if (--counts[bucket] == 0) {
            int at = nonEmptyIndex[bucket];
            int last = nonEmpty[--nonEmptyCount];
            nonEmpty[at] = last;
            nonEmptyIndex[last] = at;
            nonEmptyIndex[bucket] = -1;
        }
    }

    /** A random entry of a uniformly random non-empty bucket; null when the table is empty. */
    AddressBook.Entry random(Random random) {
        if (nonEmptyCount == 0) {
            return null;
        }
        int bucket = nonEmpty[random.nextInt(nonEmptyCount)];
        int pick = random.nextInt(counts[bucket]);
        for (AddressBook.Entry e : slots[bucket]) {
            if (e != null && pick-- == 0) {
                return e;
            }
        }
        throw new IllegalStateException("bucket count out of step");
    }

    /** Consistency of counts and the non-empty list; problems are appended. */
    void check(String name, java.util.List<String> problems) {
        int total = 0;
        int nonEmptySeen = 0;
        for (int b = 0; b < slots.length; b++) {
            int c = 0;
            for (AddressBook.Entry e : slots[b]) {
                if (e != null) {
                    c++;
                }
            }
            if (c != counts[b]) {
                problems.add(name + " bucket " + b + " counts " + counts[b] + " but holds " + c);
            }
            if ((c > 0) != (nonEmptyIndex[b] >= 0)) {
                problems.add(name + " bucket " + b + " non-empty index wrong");
            }
            if (c > 0) {
                nonEmptySeen++;
                if (nonEmpty[nonEmptyIndex[b]] != b) {
                    problems.add(name + " bucket " + b + " non-empty list points elsewhere");
                }
            }
            total += c;
        }
        if (total != size) {
            problems.add(name + " size " + size + " but holds " + total);
        }
        if (nonEmptySeen != nonEmptyCount) {
            problems.add(name + " non-empty count " + nonEmptyCount + " but " + nonEmptySeen + " buckets hold entries");
        }
    }
}
