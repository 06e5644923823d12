package org.protoblock.p2p.gossip;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import org.protoblock.chain.types.TxId;
import org.protoblock.p2p.chain.ChainAccess;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.peer.Misbehaviour;
import org.protoblock.p2p.peer.PeerScores;
import org.protoblock.p2p.protocol.Protocol;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;
import org.protoblock.p2p.wire.proto.GetMempool;
import org.protoblock.p2p.wire.proto.MempoolIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mempool sync (DESIGN.md): right after the handshake we ask the peer for its mempool ids
 * ({@code GetMempool} → {@code MempoolIds}, at most {@code maxMempoolIds}) and hand them to
 * {@link TxAnnouncements} as if the peer had announced them, so the {@link TxRequestTracker}
 * fetches what we lack. We serve the same request from our mempool, oldest first.
 *
 * <p>Threads: no state of its own. The request's continuation runs on the link's event loop and
 * only hops to TxGossip; serving waits for {@link ChainAccess#mempoolIds()} asynchronously and answers
 * from the common pool (never on the chain executor).
 */
public final class MempoolSync implements Protocol {
    private static final Logger log = LoggerFactory.getLogger(MempoolSync.class);

    private final ChainAccess chain;
    private final TxAnnouncements announcements;
    private final PeerScores scores;
    private final P2pMetrics metrics;
    private final GossipConfig config;

    public MempoolSync(ChainAccess chain, TxAnnouncements announcements, PeerScores scores, P2pMetrics metrics, GossipConfig config) {
        this.chain = chain;
        this.announcements = announcements;
        this.scores = scores;
        this.metrics = metrics;
        this.config = config;
    }

    @Override
    public Set<Envelope.BodyCase> messageTypes() {
        return Set.of(Envelope.BodyCase.GET_MEMPOOL, Envelope.BodyCase.MEMPOOL_IDS);
    }

    @Override
    public void connected(Session session, Hello remoteHello) {
        int max = config.maxMempoolIds();
        Envelope request = Envelope.newBuilder().setGetMempool(GetMempool.newBuilder().setMaxCount(max)).build();
        session.request(request, config.blockRequestTimeout()).whenComplete((response, error) -> {
            if (error != null) {
                log.debug("GetMempool to {} failed: {}", session, error.toString());
                return;
            }
            if (response.getBodyCase() != Envelope.BodyCase.MEMPOOL_IDS || response.getMempoolIds().getTxIdsCount() > max) {
                scores.penalize(session, Misbehaviour.MISMATCHED_RESPONSE, "GetMempool answered with "
                        + response.getBodyCase() + " of " + response.getMempoolIds().getTxIdsCount() + " ids");
                return;
            }
            metrics.gossipBytesReceived.add(response.getSerializedSize());
            Optional<List<TxId>> ids = WireIds.txIds(response.getMempoolIds().getTxIdsList());
            if (ids.isEmpty()) {
                scores.penalize(session, Misbehaviour.MALFORMED, "mempool id not 32 bytes");
                return;
            }
            metrics.announcementsReceived.add(ids.get().size());
            if (!ids.get().isEmpty()) {
                announcements.announcedBy(session, ids.get());
            }
        });
    }

    @Override
    public void message(Session session, Envelope envelope) {
        metrics.gossipBytesReceived.add(envelope.getSerializedSize());
        if (envelope.getBodyCase() == Envelope.BodyCase.MEMPOOL_IDS) {
            scores.penalize(session, Misbehaviour.UNSOLICITED, "MempoolIds without a request");
            return;
        }
        if (envelope.getRequestId() == 0) {
            scores.penalize(session, Misbehaviour.MALFORMED, "GetMempool without a request id");
            return;
        }
        int max = Math.min(Math.max(envelope.getGetMempool().getMaxCount(), 0), config.maxMempoolIds());
        // Continue off the chain executor: serializing up to maxMempoolIds ids is not its job.
        chain.mempoolIds().whenCompleteAsync((ids, error) -> {
            if (error != null) {
                session.respondError(envelope, ErrorResponse.Code.BUSY, "mempool unavailable");
                return;
            }
            List<TxId> served = ids.subList(0, Math.min(max, ids.size()));
            session.respond(envelope, Envelope.newBuilder()
                    .setMempoolIds(MempoolIds.newBuilder().addAllTxIds(WireIds.toWire(served))).build());
        }, ForkJoinPool.commonPool());
    }

    @Override
    public void close() {
        // stateless
    }
}
