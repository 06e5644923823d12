package org.protoblock.p2p.holepunch;

import java.util.List;
import java.util.function.Consumer;
import org.protoblock.p2p.host.PunchExpectations;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * One hole-punch round with a peer, from the exchange of addresses to its outcome: the relayed
 * link it runs over, our Noise role on the punched link, the peer's addresses, the listener
 * expectation it holds, and what to do when it ends (the coordinator's next round, or nothing).
 *
 * <p>Threads: not thread-safe; owned by the {@link HolePunchService}'s thread.
 */
final class PunchRound {
    final Session relayed;
    final Direction role;
    final int attempt;
    final long startedNanos;
    final List<PeerAddress> theirs;
    final PunchExpectations.Registration expecting;
    final Consumer<Boolean> after;
    /** Our dials have started (the relayed link may now close because the punched one replaced it). */
    boolean dialing;
    boolean done;

    PunchRound(Session relayed, Direction role, int attempt, long startedNanos, List<PeerAddress> theirs,
               PunchExpectations.Registration expecting, Consumer<Boolean> after) {
        this.relayed = relayed;
        this.role = role;
        this.attempt = attempt;
        this.startedNanos = startedNanos;
        this.theirs = theirs;
        this.expecting = expecting;
        this.after = after;
    }
}
