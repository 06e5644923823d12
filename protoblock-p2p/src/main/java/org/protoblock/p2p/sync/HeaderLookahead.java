package org.protoblock.p2p.sync;

import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.protoblock.chain.types.BlockId;
import org.protoblock.p2p.wire.proto.Envelope;

/**
 * One look-ahead GetHeaders of a sync run: sent to a second peer, for the headers after a full
 * batch that is still being validated, with that batch's last (unverified) id first in the locator.
 * So the header chain grows by one batch per round trip, from several peers in turn, instead of a
 * round trip plus a validation from one peer. The answer is used only if the batch before it
 * proves valid and ends at {@link #parent()}; otherwise it is dropped, and the peer is free again
 * once its answer is in.
 *
 * <p>Bound: a run holds at most one look-ahead, so at most two GetHeaders of a run are in flight.
 *
 * <p>Threads: sync executor only (the answer is handed over through it). {@code P} names the peer.
 */
final class HeaderLookahead<P> {
    private final P peer;
    private final BlockId parent;
    private final List<BlockId> locator;
    private final Runnable release;
    private boolean done;
    private Envelope response;
    private Throwable error;
    private BiConsumer<Envelope, Throwable> consumer;
    private boolean dropped;

    /** {@code release}: run once the answer is in and not used (the peer may be asked again). */
    HeaderLookahead(P peer, BlockId parent, List<BlockId> locator, Runnable release) {
        this.peer = Objects.requireNonNull(peer, "peer");
        this.parent = Objects.requireNonNull(parent, "parent");
        this.locator = List.copyOf(locator);
        this.release = Objects.requireNonNull(release, "release");
    }

    P peer() {
        return peer;
    }

    /** The id the answer must extend: the last header of the batch before it. */
    BlockId parent() {
        return parent;
    }

    List<BlockId> locator() {
        return locator;
    }

    /** The answer (or failure) arrived. */
    void complete(Envelope answer, Throwable failure) {
        done = true;
        if (dropped) {
            release.run();
        } else if (consumer != null) {
            consumer.accept(answer, failure);
        } else {
            response = answer;
            error = failure;
        }
    }

    /** Hands the answer to {@code use}, now if it is in, else when it arrives. */
    void use(BiConsumer<Envelope, Throwable> use) {
        if (dropped || consumer != null) {
            throw new IllegalStateException("look-ahead already dropped or used");
        }
        if (done) {
            consumer = use;
            Envelope r = response;
            response = null;
            use.accept(r, error);
        } else {
            consumer = use;
        }
    }

    /** Not to be used (its batch failed or was overtaken): the answer is ignored. Idempotent. */
    void drop() {
        if (dropped || consumer != null) {
            return;
        }
        dropped = true;
        response = null;
        if (done) {
            release.run();
        }
    }
}
