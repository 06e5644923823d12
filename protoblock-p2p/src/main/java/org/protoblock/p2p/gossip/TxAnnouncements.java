package org.protoblock.p2p.gossip;

import java.util.List;
import org.protoblock.chain.types.TxId;
import org.protoblock.p2p.session.Session;

/** Where transaction ids a peer has (announced, or listed by mempool sync) are handed over; thread-safe. */
@FunctionalInterface
public interface TxAnnouncements {
    void announcedBy(Session session, List<TxId> ids);
}
