package org.protoblock.p2p.sync;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.tree.BlockStatus;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.p2p.chain.ChainAccess;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.peer.Misbehaviour;
import org.protoblock.p2p.peer.PeerScores;
import org.protoblock.p2p.session.PeerErrorException;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.sync.BlockDownloadScheduler.Ready;
import org.protoblock.p2p.sync.BlockDownloadScheduler.Request;
import org.protoblock.p2p.sync.BlockDownloadScheduler.ResponseResult;
import org.protoblock.p2p.sync.BlockDownloadScheduler.ResponseStatus;
import org.protoblock.p2p.sync.HeaderChain.Link;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;
import org.protoblock.p2p.wire.proto.GetBlocks;

/**
 * One sync towards one validated header chain: body download through the
 * {@link BlockDownloadScheduler} and in-order application through {@link ChainAccess#submitBlocks},
 * pipelined (up to {@code maxSubmissionsInFlight} batches in the chain while downloads continue).
 *
 * <p>Peer faults: a body that does not decode, or that the chain finds INVALID → INVALID_BLOCK; a
 * response that is not a prefix of the request → MISMATCHED_RESPONSE; a timeout → STALLING (small:
 * an honest slow peer survives a few). The faulty peer's work goes back to the others.
 *
 * <p>Threads: confined to the sync executor; network and chain futures come back through it. A
 * continuation for a run that is no longer current finds {@link #closed} set and does nothing.
 */
final class SyncRun {
    private static final long MAX_SUBMISSION_BYTES = 32L * 1024 * 1024;
    private static final Duration SESSION_TIMEOUT_MARGIN = Duration.ofSeconds(1);

    private final ChainAccess chain;
    private final ChainCodec codec;
    private final PeerScores scores;
    private final P2pMetrics metrics;
    private final SyncConfig config;
    private final Executor executor;
    private final BlockDownloadScheduler<Session, ChainBlock> scheduler;
    private final long startNum;
    private Session source;
    private Link headerTip;
    private boolean headersExhausted;
    private boolean headersInFlight;
    private HeaderLookahead<Session> lookahead;
    private int submissions;
    private boolean closed;
    private long lastProgressNanos = System.nanoTime();

    SyncRun(ChainAccess chain, ChainCodec codec, PeerScores scores, P2pMetrics metrics, SyncConfig config, Executor executor,
            Session source, Link anchor) {
        this.chain = chain;
        this.codec = codec;
        this.scores = scores;
        this.metrics = metrics;
        this.config = config;
        this.executor = executor;
        this.source = source;
        this.headerTip = anchor;
        this.startNum = chain.head().num();
        this.scheduler = new BlockDownloadScheduler<>(config.schedulerLimits(), anchor.num());
    }

    // ---- headers

    Session source() {
        return source;
    }

    void setSource(Session session) {
        source = session;
        headersExhausted = false;
    }

    Link headerTip() {
        return headerTip;
    }

    long startNum() {
        return startNum;
    }

    boolean headersInFlight() {
        return headersInFlight;
    }

    void setHeadersInFlight(boolean inFlight) {
        headersInFlight = inFlight;
    }

    boolean headersExhausted() {
        return headersExhausted;
    }

    void markHeadersExhausted() {
        headersExhausted = true;
    }

    /** How many more headers the header chain takes now. */
    int headerRoom() {
        return scheduler.headerRoom();
    }

    Optional<HeaderLookahead<Session>> lookahead() {
        return Optional.ofNullable(lookahead);
    }

    void setLookahead(HeaderLookahead<Session> next) {
        lookahead = next;
    }

    /** The look-ahead request, now no longer the run's to drop. */
    Optional<HeaderLookahead<Session>> takeLookahead() {
        Optional<HeaderLookahead<Session>> taken = Optional.ofNullable(lookahead);
        lookahead = null;
        return taken;
    }

    /** Drops the look-ahead request, if any (its batch failed, or the run ends). */
    void dropLookahead() {
        takeLookahead().ifPresent(HeaderLookahead::drop);
    }

    /** Whether there is room for another full Headers response in the header chain. */
    boolean wantsHeaders() {
        return !headersExhausted && !headersInFlight && scheduler.headerRoom() >= SyncConfig.MAX_HEADERS;
    }

    /** Appends validated headers that extend {@link #headerTip()}; the source has them all. */
    void extend(List<Link> links, boolean complete) {
        scheduler.extend(links.stream().map(Link::id).toList());
        headerTip = links.get(links.size() - 1);
        headersExhausted = complete;
        if (source.isOpen()) {
            scheduler.setAvailable(source, Math.max(scheduler.availableUpTo(source), headerTip.num()));
        }
        metrics.headersReceived.add(links.size());
        lastProgressNanos = System.nanoTime();
    }

    // ---- peers

    /** A peer that can serve blocks up to {@code headNum} (optimistic: corrected when it lacks one). */
    void peerHead(Session session, long headNum) {
        scheduler.setAvailable(session, headNum);
    }

    void peerGone(Session session) {
        scheduler.removePeer(session);
    }

    // ---- the pump

    /** Expires, assigns, submits: call after every event. */
    void pump(long nowNanos) {
        if (closed || chain.isStopped()) {
            return; // a stopped chain takes no blocks: nothing more is fetched (SyncManager ends the run)
        }
        for (Request<Session> expired : scheduler.expire(nowNanos)) {
            metrics.syncRequestsTimedOut.increment();
            penalize(expired.peer(), Misbehaviour.STALLING, "no blocks within " + Duration.ofNanos(
                    expired.deadlineNanos() - expired.sentAtNanos()).toMillis() + " ms");
        }
        for (Request<Session> request : scheduler.assign(nowNanos)) {
            send(request, nowNanos);
        }
        submitReady();
    }

    private void send(Request<Session> request, long nowNanos) {
        GetBlocks.Builder get = GetBlocks.newBuilder();
        request.ids().forEach(id -> get.addBlockIds(ByteString.copyFrom(id.toBytes())));
        Duration timeout = Duration.ofNanos(request.deadlineNanos() - nowNanos).plus(SESSION_TIMEOUT_MARGIN);
        request.peer().request(Envelope.newBuilder().setGetBlocks(get).build(), timeout)
                .thenApplyAsync(response -> ParsedBlocks.parse(codec, response, request.blocks().size()), ForkJoinPool.commonPool())
                .whenCompleteAsync((parsed, error) -> onBlocks(request, parsed, error), executor);
    }

    private void onBlocks(Request<Session> request, ParsedBlocks parsed, Throwable error) {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof PeerErrorException e && e.code() == ErrorResponse.Code.NOT_FOUND) {
                scheduler.onNotFound(request.id(), now);
            } else {
                scheduler.onFailure(request.id());
            }
        } else {
            deliver(request, parsed, now);
        }
        pump(now);
    }

    private void deliver(Request<Session> request, ParsedBlocks parsed, long now) {
        Session peer = request.peer();
        if (parsed.fault().isPresent()) {
            scheduler.onFailure(request.id());
            penalize(peer, parsed.fault().get().offence(), parsed.fault().get().detail());
            return;
        }
        ResponseResult result = scheduler.onResponse(request.id(), parsed.delivered(), parsed.truncated(), now);
        if (result.status() == ResponseStatus.MISMATCHED) {
            penalize(peer, Misbehaviour.MISMATCHED_RESPONSE, "blocks are not the ones asked for, in order");
            return;
        }
        if (result.accepted() > 0) {
            lastProgressNanos = now;
        }
        int count = parsed.delivered().size();
        metrics.blocksReceived.add(count);
        metrics.bodyBytesReceived.add(parsed.bytes());
        metrics.blocksDuplicate.add(count - result.accepted());
    }

    private void submitReady() {
        while (submissions < config.maxSubmissionsInFlight()) {
            List<Ready<Session, ChainBlock>> ready = scheduler.drainReady(config.maxBlocksPerSubmission(), MAX_SUBMISSION_BYTES);
            if (ready.isEmpty()) {
                return;
            }
            submissions++;
            chain.submitBlocks(ready.stream().map(Ready::body).toList())
                    .whenCompleteAsync((outcomes, error) -> onApplied(ready, outcomes, error), executor);
        }
    }

    private void onApplied(List<Ready<Session, ChainBlock>> ready, List<AddOutcome> outcomes, Throwable error) {
        submissions--;
        if (closed) {
            // the chain applied them all the same (a run replaced by another on a new branch): they count as synced
            if (error == null) {
                metrics.blocksSynced.add(outcomes.stream().filter(o -> o.status() == BlockStatus.CONNECTED
                        || o.status() == BlockStatus.SIDE_BRANCH).count());
            }
            return;
        }
        if (error != null) {
            ready.forEach(r -> scheduler.requeue(r.num())); // chain busy or closing: try again later
        } else {
            int applied = 0;
            for (int i = 0; i < ready.size(); i++) {
                Ready<Session, ChainBlock> r = ready.get(i);
                AddOutcome outcome = outcomes.get(i);
                switch (outcome.status()) {
                    case CONNECTED, SIDE_BRANCH -> {
                        scheduler.applied(r.num());
                        applied++;
                    }
                    case DUPLICATE -> {
                        // stored already (gossip, an earlier run), or only a copy waiting in the orphan pool,
                        // which may be a forged one: only a stored block counts
                        if (chain.hasBlock(r.id())) {
                            scheduler.applied(r.num());
                        } else {
                            scheduler.requeue(r.num());
                        }
                    }
                    case INVALID -> {
                        scheduler.requeue(r.num());
                        scheduler.discardBodiesFrom(r.servedBy());
                        penalize(r.servedBy(), Misbehaviour.INVALID_BLOCK, "block " + r.num() + " "
                                + outcome.error().map(Throwable::getMessage).orElse("invalid"));
                    }
                    case ORPHAN -> scheduler.requeue(r.num()); // an ancestor was invalid: refetched with it
                }
            }
            metrics.blocksSynced.add(applied);
            if (applied > 0) {
                lastProgressNanos = System.nanoTime();
            }
        }
        pump(System.nanoTime());
    }

    private void penalize(Session peer, Misbehaviour offence, String detail) {
        if (scores.penalize(peer, offence, detail)) {
            scheduler.removePeer(peer); // disconnected: its work goes to the others now
        }
    }

    // ---- state

    /** Every header fetched is applied and the source has nothing more. */
    boolean isComplete() {
        return headersExhausted && !headersInFlight && submissions == 0 && scheduler.isComplete();
    }

    /** When a header, a new body or an applied block last arrived. */
    long lastProgressNanos() {
        return lastProgressNanos;
    }

    /** Stops reacting to late responses and chain outcomes. */
    void close() {
        dropLookahead();
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    BlockDownloadScheduler<Session, ChainBlock> scheduler() {
        return scheduler;
    }
}
