package org.protoblock.fuzz;

import java.lang.management.ManagementFactory;

/**
 * Bounded allocation as a fuzz property: the heap bytes the current thread allocates while one input
 * is decoded must stay below a budget linear in the input's size. Rationale: the attacks this guards
 * against (a length field, a count or a repeated index that makes the decoder build far more than
 * it read) show up as allocation orders of magnitude above the input, long before an OOM.
 * Direct (off-heap) buffers are not counted: targets give their channels a heap allocator.
 */
public final class AllocationBudget {
    /** Class loading, static initialisers and first-use caches of one input. */
    public static final long FIXED_BYTES = 16L * 1024 * 1024;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Work that may throw anything (the target decides what may escape). */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    private AllocationBudget() {
    }

    /**
     * Runs {@code work}, then fails if this thread allocated more than {@link #FIXED_BYTES} +
     * {@code perInputByte} × {@code inputBytes}. Over budget, the work runs once more and only that
     * run counts: the first run of a new code path also pays for class loading and Jazzer's
     * instrumentation of the classes it loads, while a decoder that really over-allocates does it
     * again ({@code work} must be repeatable). An exception from {@code work} propagates unchanged.
     */
    public static void check(int inputBytes, long perInputByte, Work work) throws Exception {
        long budget = FIXED_BYTES + perInputByte * inputBytes;
        if (allocatedBy(work) > budget) {
            long again = allocatedBy(work);
            if (again > budget) {
                throw new AssertionError("allocated " + again + " bytes for an input of " + inputBytes
                        + " bytes, budget " + budget);
            }
        }
    }

    private static long allocatedBy(Work work) throws Exception {
        long threadId = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(threadId);
        work.run();
        return THREADS.getThreadAllocatedBytes(threadId) - before;
    }
}
