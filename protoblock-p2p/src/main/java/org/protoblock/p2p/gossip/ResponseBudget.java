package org.protoblock.p2p.gossip;

import org.protoblock.p2p.session.Session;

/**
 * How many bytes one gossip answer may hold, counted before it is built: a quarter of the peer's
 * outbound queue, so a few answers in flight never fill it and a request can never make us
 * allocate more than this per answer.
 */
final class ResponseBudget {
    /** Framing of one repeated bytes field (tag + length varint), counted per item. */
    static final int PER_ITEM_OVERHEAD = 6;

    private ResponseBudget() {
    }

    static long bytesFor(Session session) {
        return session.limits().maxOutboundQueueBytes() / 4;
    }
}
