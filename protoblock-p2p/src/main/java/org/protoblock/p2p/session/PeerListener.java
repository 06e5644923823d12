package org.protoblock.p2p.session;

import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.wire.proto.Envelope;

/**
 * A protocol component's view of peers (like a CometBFT reactor: AddPeer / Receive / RemovePeer).
 * Register with {@link PeerEvents#register} naming the message types it owns.
 *
 * <p>Contract:
 * <ul>
 *   <li>Calls come on the session's Netty event loop: return quickly and never block; hand chain
 *       work to an executor of your own and answer from there ({@link Session} is thread-safe).</li>
 *   <li>Per session, events arrive in order: {@code connected}, {@code message}*, {@code disconnected}.
 *       Sessions on different event loops are called concurrently.</li>
 *   <li>Keep no per-session state after {@code disconnected}.</li>
 *   <li>A request (request id ≠ 0) routed to you must be answered once, with
 *       {@link Session#respond} or {@link Session#respondError}; the session answers requests that no
 *       component registered for with UNSUPPORTED.</li>
 *   <li>An exception thrown here is a bug of the component: it is logged, the link stays up.</li>
 * </ul>
 */
public interface PeerListener {
    /** A peer passed the handshake. */
    default void connected(Session session, Hello remoteHello) {
    }

    /** A message of a type this listener registered for (responses go to their request's future instead). */
    default void message(Session session, Envelope envelope) {
    }

    /** The session ended; {@code byUs} tells which side decided. Details in {@link Session#closed()}. */
    default void disconnected(Session session, DisconnectReason reason, boolean byUs) {
    }

    /** A link closed before it became a session (refused, timed out, failed authentication). */
    default void linkFailed(LinkFailure failure) {
    }
}
