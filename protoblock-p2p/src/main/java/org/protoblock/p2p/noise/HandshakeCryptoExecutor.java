package org.protoblock.p2p.noise;

/**
 * Where a link's handshake crypto (X25519, the bulk of a handshake's cost) runs. A node runs the
 * responder side of inbound handshakes on a small bounded executor of its own, so a flood of
 * handshake openings cannot stall the I/O threads that carry established sessions; a full executor
 * refuses, and the link is dropped.
 */
@FunctionalInterface
public interface HandshakeCryptoExecutor {
    /** On the calling thread (the link's event loop): our own dials, tests. */
    HandshakeCryptoExecutor INLINE = task -> {
        task.run();
        return true;
    };

    /** Runs {@code task} later on another thread, or returns false when too much work waits. */
    boolean tryExecute(Runnable task);
}
