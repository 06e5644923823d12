package org.protoblock.p2p.discovery;

import org.protoblock.p2p.session.Session;

/**
 * How discovery reports a peer that broke the peer-exchange rules; the peer layer scores it (and
 * may ban). An interface here, so that discovery does not depend on the peer package.
 */
@FunctionalInterface
public interface Misconduct {
    /** What the peer did; the peer layer maps each to its penalty. */
    enum Kind {
        /** Far more GetPeers or addresses than the rate limits allow. */
        SPAM,
        /** More records in one message than any node sends. */
        MALFORMED,
        /** A Peers answer bigger than asked, or of the wrong type. */
        MISMATCHED_RESPONSE
    }

    void report(Session session, Kind kind, String detail);
}
