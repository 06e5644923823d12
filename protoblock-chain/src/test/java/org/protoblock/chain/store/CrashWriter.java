package org.protoblock.chain.store;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A child process for crash tests: opens a RocksDB store, resumes a {@link CrashWorkload} and
 * applies it step after step until killed, printing {@code committed <num>} after each write has
 * returned (so every printed height is durable). Prints {@code opened <head num or -1>} first.
 *
 * <p>Usage: {@code CrashWriter <dir> <seed> [workload class, default SyntheticChainWorkload]}.
 */
public final class CrashWriter {

    private CrashWriter() {
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        String workloadClass = args.length > 2 ? args[2] : SyntheticChainWorkload.class.getName();
        CrashWorkload workload = (CrashWorkload) Class.forName(workloadClass).getDeclaredConstructor().newInstance();
        PrintStream out = System.out;
        try (ChainStore store = RocksDbChainStore.open(dir)) {
            workload.resume(store, seed);
            report(out, "opened " + store.head().map(h -> h.num()).orElse(-1));
            while (true) {
                report(out, "committed " + workload.applyNext(store));
            }
        }
    }

    /** One line in one write to the pipe, so a kill never leaves half a line. */
    private static void report(PrintStream out, String line) {
        out.print(line + "\n");
        out.flush();
    }
}
