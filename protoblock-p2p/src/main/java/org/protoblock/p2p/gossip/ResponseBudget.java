package org.protoblock.p2p.gossip;

import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.wire.WireLimits;

/**
 * How many bytes one gossip answer may hold, counted before it is built: a quarter of the peer's
 * outbound queue, so a few answers in flight never fill it and a request can never make us
 * allocate more than this per answer; and never more than an envelope may carry (less headroom for
 * the envelope's own fields), so a budgeted answer is never refused by the session.
 */
final class ResponseBudget {
    /** Framing of one repeated bytes field (tag + length varint), counted per item. */
    static final int PER_ITEM_OVERHEAD = 6;
    /** Room left in an envelope for its own fields (request id, block id, tags). */
    private static final int ENVELOPE_HEADROOM = 64 * 1024;

    private ResponseBudget() {
    }

    static long bytesFor(Session session) {
        return Math.min(session.limits().maxOutboundQueueBytes() / 4,
                WireLimits.DEFAULT_MAX_ENVELOPE_BYTES - ENVELOPE_HEADROOM);
    }
}
