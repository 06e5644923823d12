package org.protoblock.p2p.protocol;

import java.util.Set;
import org.protoblock.p2p.session.PeerListener;
import org.protoblock.p2p.wire.proto.Envelope;

/**
 * One p2p protocol (sync, block gossip, transaction gossip, mempool sync, peer exchange): a
 * {@link PeerListener} for the message types it owns, with its own executor for its state (see
 * each implementation for which thread owns what). Components never reach into each other's
 * state; they meet through the chain and its events.
 */
public interface Protocol extends PeerListener, AutoCloseable {

    /** The message types routed to this protocol. */
    Set<Envelope.BodyCase> messageTypes();

    /** Stops timers and executors; called once, after the host stopped. */
    @Override
    void close();
}
