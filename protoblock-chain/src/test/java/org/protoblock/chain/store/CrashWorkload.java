package org.protoblock.chain.store;

/**
 * What {@link CrashWriter} applies, one durable step at a time. The synthetic workload stands in
 * for block application until the block tree can drive the writer with real blocks: a workload
 * class with a public no-argument constructor can be named on CrashWriter's command line.
 *
 * <p>Threads: called from CrashWriter's single thread.
 */
public interface CrashWorkload {

    /** Called once after the store opens, before any {@link #applyNext}: resume from its content. */
    void resume(ChainStore store, long seed);

    /** Applies the next step as exactly one {@link ChainStore#write} and returns the head num after it. */
    int applyNext(ChainStore store);
}
