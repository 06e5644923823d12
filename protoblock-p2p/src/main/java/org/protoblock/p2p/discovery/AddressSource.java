package org.protoblock.p2p.discovery;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * What the peer side (dialing, admission) asks of discovery, and what it reports back. Every
 * method may be called from any thread; the work runs on discovery's own thread, so predicates
 * passed in must be safe to call there (build them from snapshots).
 */
public interface AddressSource {
    /** Candidates to dial and the book's size (seeds are for a small book). */
    record Candidates(List<KnownPeer> peers, int bookSize) {
        public Candidates {
            peers = List.copyOf(peers);
        }
    }

    /** Up to {@code max} distinct entries passing {@code eligible}, by the book's selection rule. */
    CompletableFuture<Candidates> candidates(int max, Predicate<KnownPeer> eligible);

    /** An address to test: the occupant of a tried collision, else a new-table entry. */
    CompletableFuture<Optional<KnownPeer>> feelerCandidate(Predicate<KnownPeer> eligible);

    /** An outbound handshake with {@code id} at {@code address} succeeded: verified. */
    void dialSucceeded(NodeId id, PeerAddress address);

    /** A dial to a book entry failed; a feeler's failure drops an unverified entry at once. */
    void dialFailed(NodeId id, boolean feeler);

    /** {@code source} (its address) told us {@code id} listens at {@code address}: hearsay. */
    void heard(NodeId id, PeerAddress address, PeerAddress source);

    /** Our outbound link to {@code id} closed: it was up until now. */
    void linkClosed(NodeId id);

    /** {@code id} was banned: drop it from the book. */
    void forget(NodeId id);

    /** Asks {@code session} for addresses; completes (never exceptionally) once handled. */
    CompletableFuture<Void> requestPeers(Session session);

    /** Sends {@code session} our own record (after an outbound handshake). */
    void advertiseSelfTo(Session session);

    /** Anchors saved at the last run, to dial first. */
    List<KnownPeer> savedAnchors();

    /** The outbound peers to save as anchors (written with the next flush). */
    void anchors(List<Contact> anchors);
}
