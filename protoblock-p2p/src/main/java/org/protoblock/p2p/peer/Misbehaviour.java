package org.protoblock.p2p.peer;

/** What a peer did wrong, and what it costs it. A score of {@link PeerScores#DISCONNECT_THRESHOLD} ends the link. */
public enum Misbehaviour {
    /** A block that fails validation (not merely an orphan or a duplicate). */
    INVALID_BLOCK(100),
    /** Headers that do not link, or whose signature fails. */
    INVALID_HEADERS(100),
    /** A transaction that fails validation for a reason the sender could have checked. */
    INVALID_TRANSACTION(10),
    /** Data we did not ask for. */
    UNSOLICITED(20),
    /** A response that does not match its request (wrong ids, too many items). */
    MISMATCHED_RESPONSE(50),
    /** Bytes that do not decode as the message type says. */
    MALFORMED(50),
    /** Announced data it then failed to serve, or stalled a download. */
    STALLING(10),
    /** Far more requests or announcements than the protocol's rate limits allow (e.g. address floods). */
    SPAM(10);

    private final int penalty;

    Misbehaviour(int penalty) {
        this.penalty = penalty;
    }

    public int penalty() {
        return penalty;
    }
}
