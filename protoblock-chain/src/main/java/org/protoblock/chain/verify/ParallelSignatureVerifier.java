package org.protoblock.chain.verify;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.protoblock.chain.crypto.Secp256k1Verifier;
import org.protoblock.chain.types.ValidationException;

/**
 * Verifies batches of signatures on a fixed pool of worker threads (one per core by default), before
 * the sequential, stateful validation pass: that pass then runs with {@link BatchResult#verified()}
 * as its verifier and finds the expensive checks done.
 *
 * <p>A batch is split into contiguous chunks (about four per thread, for balance); each check is
 * independent, so results do not depend on the split. A check whose signature text does not decode is
 * simply invalid here; the stateful pass re-checks it and reports the precise rule. Do not call
 * {@link #verify} from one of this pool's own threads (it blocks on them). Thread-safe.
 */
public final class ParallelSignatureVerifier implements AutoCloseable {
    private static final int CHUNKS_PER_THREAD = 4;
    private static final int MIN_CHUNK = 16;

    private final ExecutorService pool;
    private final int threads;

    public ParallelSignatureVerifier(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads < 1");
        }
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads, new DaemonThreads());
    }

    /** One thread per available processor. */
    public static ParallelSignatureVerifier perCore() {
        return new ParallelSignatureVerifier(Runtime.getRuntime().availableProcessors());
    }

    /** Per-check results and the set of valid checks. */
    public record BatchResult(List<SignatureCheck> checks, BitSet validBits, VerifiedSignatures verified) {
        public boolean isValid(int index) {
            return validBits.get(index);
        }

        public boolean allValid() {
            return validBits.cardinality() == checks.size();
        }

        public int invalidCount() {
            return checks.size() - validBits.cardinality();
        }
    }

    /** Verifies every check; blocks until done. */
    public BatchResult verify(List<SignatureCheck> checks) throws InterruptedException {
        List<SignatureCheck> copy = List.copyOf(checks);
        BitSet valid = new BitSet(copy.size());
        int chunk = Math.max(MIN_CHUNK, (copy.size() + threads * CHUNKS_PER_THREAD - 1) / (threads * CHUNKS_PER_THREAD));
        List<Future<BitSet>> futures = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        for (int start = 0; start < copy.size(); start += chunk) {
            int from = start;
            int to = Math.min(copy.size(), start + chunk);
            starts.add(from);
            futures.add(pool.submit(() -> verifyRange(copy, from, to)));
        }
        try {
            for (int i = 0; i < futures.size(); i++) {
                BitSet part = futures.get(i).get();
                int from = starts.get(i);
                part.stream().forEach(bit -> valid.set(from + bit));
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("signature worker failed", e.getCause());
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
        Set<SignatureCheck> ok = new HashSet<>();
        valid.stream().forEach(i -> ok.add(copy.get(i)));
        return new BatchResult(copy, valid, new VerifiedSignatures(ok));
    }

    private static BitSet verifyRange(List<SignatureCheck> checks, int from, int to) {
        BitSet bits = new BitSet(to - from);
        for (int i = from; i < to; i++) {
            SignatureCheck c = checks.get(i);
            try {
                if (Secp256k1Verifier.INSTANCE.verify(c.key(), c.digest(), c.signature())) {
                    bits.set(i - from);
                }
            } catch (ValidationException e) {
                // undecodable: invalid; the stateful pass reports the rule
            }
        }
        return bits;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private static final class DaemonThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "sig-verify-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
