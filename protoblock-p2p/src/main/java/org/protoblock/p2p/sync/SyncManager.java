package org.protoblock.p2p.sync;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.protoblock.chain.proto.SignedBlockHeader;
import org.protoblock.chain.store.BlockMeta;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.chain.validation.BlockValidator;
import org.protoblock.p2p.chain.ChainAccess;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.peer.Misbehaviour;
import org.protoblock.p2p.peer.PeerScores;
import org.protoblock.p2p.protocol.Protocol;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.sync.HeaderChain.Link;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.GetHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chain comparison and headers-first sync (DESIGN.md "Wire protocol"), and serving of GetHeaders /
 * GetBlocks to peers ({@link SyncServer}).
 *
 * <p>Comparison: a peer's head is learned from its Hello, from {@link #onPeerHead} (block gossip
 * calls it for an announcement whose parent is unknown or that is far ahead) and from polling:
 * while idle each peer is asked every {@code pollInterval} for headers beyond our locator, so a
 * node that fell behind catches up without relying on gossip. A peer whose head is higher than
 * ours and unknown to us is sent a GetHeaders with our locator at once. A non-empty, valid answer
 * starts a {@link SyncRun} with that peer as the header source: headers are validated (linkage,
 * producer signature, through the chain's signature cache so the chain does not verify them again)
 * before any body is asked for; bodies come from every peer that has them. While a full batch is
 * validated, the next one is asked of another peer that claims more ({@link HeaderLookahead}, one
 * per run), which becomes the source if that batch proves valid: batches come from the peers in turn.
 * When the source leaves, or has no more headers while another peer claims a higher head, the
 * header chain continues from another peer (locator = our header tip, then our chain's locator); a
 * peer whose headers fork below our header tip starts a new run on its branch.
 *
 * <p>Threads: one {@link OwnedExecutor} ("sync") owns all state here and in the run. Event-loop
 * callbacks and session/chain futures hop onto it. Optional work (head announcements) is refused
 * once {@code queueCapacity / 2} tasks wait ({@link #offer}); the rest (peer connect/disconnect,
 * responses, chain outcomes: {@link #critical}) is never refused for load, as it is bounded by
 * sessions × requests in flight. The tick is a timer of the same executor. Header validation runs
 * on the common fork-join pool.
 */
public final class SyncManager implements Protocol {
    private static final Logger log = LoggerFactory.getLogger(SyncManager.class);
    private static final double RATE_TIME_CONSTANT_SECONDS = 3.0;
    private static final int MAX_PEERS = 4096;
    private static final int HEADER_CHUNK = 250;

    private final ChainAccess chain;
    private final PeerScores scores;
    private final P2pMetrics metrics;
    private volatile SyncConfig config;
    private final ChainCodec codec;
    private final BlockValidator validator;
    private final SyncServer server;
    private final OwnedExecutor executor;
    /** Runs continuations on the sync executor, never refused for load (see {@link #critical}). */
    private final Executor loop;
    private final Map<Session, PeerView> peers = new HashMap<>();
    private SyncRun run;
    private volatile SyncProgress progress = SyncProgress.IDLE;
    private double rate;
    private long lastRateNanos = System.nanoTime();
    private long lastRateNum;

    /** What we know of one peer's chain. Sync executor only. */
    private static final class PeerView {
        final Session session;
        long headNum;
        BlockId headId;
        long lastPollNanos;
        boolean headersPending;
        /** The head num at which the peer last had no headers for us (not asked again until it moves). */
        long emptyAtHeadNum = -1;

        PeerView(Session session, long headNum, BlockId headId, long now) {
            this.session = session;
            this.headNum = headNum;
            this.headId = headId;
            this.lastPollNanos = now;
        }
    }

    public SyncManager(ChainAccess chain, PeerScores scores, P2pMetrics metrics, SyncConfig config) {
        this.chain = chain;
        this.scores = scores;
        this.metrics = metrics;
        this.config = config;
        this.codec = new ChainCodec(chain.network().limits());
        // the chain's cached verifier: headers verified here are not verified again when their blocks connect
        this.validator = new BlockValidator(chain.network(), chain.clock(), chain.signatureVerifier());
        this.server = new SyncServer(chain, () -> this.config, metrics);
        // Bound for optional work only (see offer): half the queue, as before, so critical work has headroom.
        this.executor = new OwnedExecutor("sync", Math.max(1, config.queueCapacity() / 2));
        this.loop = executor.asUnboundedExecutor();
        // A fixed-delay timer on the owning thread: ticks never pile up in the queue.
        executor.scheduleEvery(config.tick(), config.tick(), this::tick);
    }

    // ---- public API: any thread

    /**
     * A peer told us its head (e.g. a block announcement whose parent we lack, or one far ahead):
     * compares chains and syncs if the peer may be ahead. Cheap, thread-safe, never blocks.
     */
    public void onPeerHead(Session session, ChainHead head) {
        long num = head.num();
        BlockId id = head.id();
        offer(() -> {
            PeerView peer = peers.get(session);
            if (peer != null && num >= peer.headNum) {
                peer.headNum = num;
                peer.headId = id;
                if (run != null) {
                    run.peerHead(session, num);
                }
                compare(peer, System.nanoTime());
            }
        });
    }

    /** The latest progress snapshot (updated every tick). */
    public SyncProgress progress() {
        return progress;
    }

    public boolean isSyncing() {
        return progress.state() == SyncProgress.State.SYNCING;
    }

    public SyncConfig config() {
        return config;
    }

    /**
     * Replaces the settings: serving and new sync runs use them (the timer period stays). For the
     * node program's configuration and for tests (e.g. a slow server via {@link SyncConfig#withServeDelay}).
     */
    public void configure(SyncConfig newConfig) {
        config = java.util.Objects.requireNonNull(newConfig, "newConfig");
    }

    // ---- Protocol: event loops

    @Override
    public Set<Envelope.BodyCase> messageTypes() {
        return EnumSet.of(Envelope.BodyCase.GET_HEADERS, Envelope.BodyCase.HEADERS, Envelope.BodyCase.GET_BLOCKS,
                Envelope.BodyCase.BLOCKS);
    }

    @Override
    public void connected(Session session, Hello hello) {
        long num = hello.head().num();
        BlockId id = hello.head().id();
        critical(() -> {
            if (peers.size() >= MAX_PEERS || !session.isOpen()) {
                return;
            }
            long now = System.nanoTime();
            PeerView peer = new PeerView(session, num, id, now);
            peers.put(session, peer);
            if (run != null) {
                run.peerHead(session, num);
            }
            compare(peer, now);
        });
    }

    @Override
    public void disconnected(Session session, DisconnectReason reason, boolean byUs) {
        critical(() -> {
            peers.remove(session);
            if (run != null) {
                run.peerGone(session);
                if (run.source() == session) {
                    run.dropLookahead(); // it extends the batch the source was sending
                    run.setHeadersInFlight(false);
                    continueHeaders(System.nanoTime());
                }
                run.pump(System.nanoTime());
            }
        });
    }

    @Override
    public void message(Session session, Envelope envelope) {
        switch (envelope.getBodyCase()) {
            case GET_HEADERS, GET_BLOCKS -> {
                if (envelope.getRequestId() == 0) {
                    scores.penalize(session, Misbehaviour.MALFORMED, envelope.getBodyCase() + " without a request id");
                } else {
                    server.handle(session, envelope);
                }
            }
            default -> scores.penalize(session, Misbehaviour.UNSOLICITED, envelope.getBodyCase() + " we did not ask for");
        }
    }

    // ---- comparison and headers (sync executor)

    /** Asks {@code peer} for headers if it may be ahead of us, or if its poll is due. */
    private void compare(PeerView peer, long now) {
        if (peer.headersPending || (run != null && run.source() != peer.session)) {
            return; // during a run, only the header source is asked (see continueHeaders)
        }
        if (run != null) {
            continueHeaders(now);
            return;
        }
        boolean ahead = peer.headNum > chain.head().num() && peer.emptyAtHeadNum != peer.headNum
                && !chain.hasBlock(peer.headId);
        boolean pollDue = now - peer.lastPollNanos >= config.pollInterval().toNanos();
        if (ahead || pollDue) {
            requestHeaders(peer, chain.locator(), now);
        }
    }

    private void requestHeaders(PeerView peer, List<BlockId> locator, long now) {
        if (chain.isStopped()) {
            return; // a stopped chain takes no blocks: nothing to sync (tick ends a run)
        }
        peer.headersPending = true;
        peer.lastPollNanos = now;
        if (run != null && run.source() == peer.session) {
            run.setHeadersInFlight(true);
        }
        SyncRun asked = run;
        peer.session.request(getHeaders(locator), config.headersTimeout())
                .whenCompleteAsync((response, error) -> onHeaders(peer, asked, locator, response, error, false), loop);
    }

    private static Envelope getHeaders(List<BlockId> locator) {
        GetHeaders.Builder get = GetHeaders.newBuilder().setMaxCount(SyncConfig.MAX_HEADERS);
        locator.stream().limit(SyncConfig.MAX_LOCATOR).forEach(id -> get.addLocator(ByteString.copyFrom(id.toBytes())));
        return Envelope.newBuilder().setGetHeaders(get).build();
    }

    /**
     * A Headers answer. The peer's request stays pending (and the run's header request in flight)
     * until the headers are validated and used, so no second request to it overlaps a validation;
     * a full answer to the run's source sends the next request to another peer at once
     * ({@link #lookAhead}). {@code lookahead}: the answer to such a request, which an honest peer
     * on another branch may answer from elsewhere (dropped, no penalty).
     */
    private void onHeaders(PeerView peer, SyncRun asked, List<BlockId> locator, Envelope response, Throwable error,
                           boolean lookahead) {
        boolean current = run != null && run == asked && run.source() == peer.session;
        if (error != null || !peer.session.isOpen()) {
            log.debug("GetHeaders to {} failed: {}", peer.session, error == null ? "closed" : error.getMessage());
            afterHeaders(peer, current, now());
            return;
        }
        List<SignedBlockHeader> headers = parseHeaders(peer.session, response);
        if (headers == null || (run != null && !current)) {
            afterHeaders(peer, current, now()); // a run from another peer began meanwhile: its source decides
            return;
        }
        if (headers.isEmpty()) {
            peer.emptyAtHeadNum = peer.headNum;
            if (current) {
                run.markHeadersExhausted();
            }
            afterHeaders(peer, current, now());
            return;
        }
        Optional<Link> parent = parentOf(headers.get(0), locator, current);
        if (parent.isEmpty() || (lookahead && (!current || !parent.get().equals(run.headerTip())))) {
            if (!lookahead) {
                scores.penalize(peer.session, Misbehaviour.INVALID_HEADERS, "first header's parent is not in our locator");
            }
            afterHeaders(peer, current, now());
            return;
        }
        if (current && headers.size() == SyncConfig.MAX_HEADERS) {
            lookAhead(peer, headers.get(headers.size() - 1), now());
        }
        validateChunk(peer, asked, parent.get(), headers, headers.size() < SyncConfig.MAX_HEADERS);
    }

    /**
     * Validates the next {@value #HEADER_CHUNK} headers off the executor, uses them, and goes on
     * with the rest: bodies are requested as soon as the first chunk is known good, not after all
     * 2000 signatures.
     */
    private void validateChunk(PeerView peer, SyncRun asked, Link parent, List<SignedBlockHeader> rest, boolean complete) {
        List<SignedBlockHeader> chunk = rest.subList(0, Math.min(HEADER_CHUNK, rest.size()));
        List<SignedBlockHeader> after = rest.subList(chunk.size(), rest.size());
        CompletableFuture.supplyAsync(() -> {
            try {
                return HeaderChain.validate(validator, parent, chunk);
            } catch (ValidationException e) {
                throw new CompletionException(e);
            }
        }, ForkJoinPool.commonPool()).whenCompleteAsync((links, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                scores.penalize(peer.session, Misbehaviour.INVALID_HEADERS, cause.getMessage());
                afterHeaders(peer, run != null && run == asked && run.source() == peer.session, now());
                return;
            }
            Optional<SyncRun> into = onValidHeaders(peer, asked, parent, links, after.isEmpty() && complete, after.isEmpty());
            if (after.isEmpty()) {
                return;
            }
            if (into.isPresent()) {
                validateChunk(peer, into.get(), links.get(links.size() - 1), after, complete);
            } else {
                peer.headersPending = false;
            }
        }, loop);
    }

    private void afterHeaders(PeerView peer, boolean current, long now) {
        peer.headersPending = false;
        if (run != null) {
            if (current) {
                run.dropLookahead(); // it extends headers that will not be used
                run.setHeadersInFlight(false);
                continueHeaders(now);
            }
            run.pump(now);
            finishIfComplete();
        }
    }

    /** The first header's parent: our header tip, or a block of ours that we put in the locator. */
    private Optional<Link> parentOf(SignedBlockHeader first, List<BlockId> locator, boolean current) {
        String prev = first.getHead().getPrevId().toStringUtf8();
        if (!Hash256.isCanonicalHex(prev)) {
            return Optional.empty();
        }
        BlockId prevId = BlockId.fromHex(prev);
        if (!locator.contains(prevId)) {
            return Optional.empty();
        }
        if (current && run.headerTip().id().equals(prevId)) {
            return Optional.of(run.headerTip());
        }
        Optional<BlockMeta> meta = chain.blockMeta(prevId);
        return meta.map(m -> new Link(m.id(), m.num(), Integer.toUnsignedLong(m.timestamp())));
    }

    /** Parsed headers, or null after penalizing a malformed or oversized response. */
    private List<SignedBlockHeader> parseHeaders(Session session, Envelope response) {
        if (response.getBodyCase() != Envelope.BodyCase.HEADERS) {
            scores.penalize(session, Misbehaviour.MISMATCHED_RESPONSE, "answered GetHeaders with " + response.getBodyCase());
            return null;
        }
        if (response.getHeaders().getHeadersCount() > SyncConfig.MAX_HEADERS) {
            scores.penalize(session, Misbehaviour.MISMATCHED_RESPONSE, response.getHeaders().getHeadersCount() + " headers");
            return null;
        }
        List<SignedBlockHeader> headers = new ArrayList<>(response.getHeaders().getHeadersCount());
        for (ByteString bytes : response.getHeaders().getHeadersList()) {
            try {
                headers.add(codec.parseHeader(bytes.toByteArray()));
            } catch (ValidationException e) {
                scores.penalize(session, Misbehaviour.INVALID_HEADERS, e.getMessage());
                return null;
            }
        }
        return headers;
    }

    /**
     * Uses validated headers: extends the current run, or starts one. {@code lastChunk}: the last
     * part of a Headers answer (the request is over). Returns the run they went into, if any.
     */
    private Optional<SyncRun> onValidHeaders(PeerView peer, SyncRun asked, Link parent, List<Link> links, boolean complete,
                                             boolean lastChunk) {
        long now = now();
        boolean forRun = run != null && run == asked;
        if (lastChunk) {
            peer.headersPending = false;
            if (forRun && run.source() == peer.session) {
                run.setHeadersInFlight(false);
            }
        }
        Link last = links.get(links.size() - 1);
        if (last.num() > peer.headNum) {
            peer.headNum = last.num();
            peer.headId = last.id();
        }
        if (forRun && run.source() != peer.session) {
            return Optional.empty(); // the source changed meanwhile (it left): the new one continues
        }
        if (forRun && parent.equals(run.headerTip())) {
            run.extend(links, complete);
        } else if (run == null || forRun) {
            if (complete && last.num() <= chain.head().num()) {
                return Optional.empty(); // a branch that is not longer than ours: fork choice would not take it
            }
            startRun(peer, parent, links, complete);
            run.setHeadersInFlight(!lastChunk);
        } else {
            return Optional.empty(); // a run started meanwhile from another peer; this answer only told us the peer's head
        }
        if (lastChunk && !complete && !useLookahead() && run.wantsHeaders()) {
            requestHeaders(peer, runLocator(), now);
        }
        SyncRun into = run;
        run.pump(now);
        finishIfComplete();
        return Optional.of(into).filter(r -> r == run);
    }

    /**
     * Asks another peer that claims more, the one asked longest ago, for the headers after
     * {@code last} (the source's full batch, still being validated): one look-ahead per run, and
     * only with room for both batches. The answer waits for {@link #useLookahead}.
     */
    private void lookAhead(PeerView from, SignedBlockHeader last, long now) {
        if (run.lookahead().isPresent() || run.headerRoom() < 2 * SyncConfig.MAX_HEADERS || chain.isStopped()) {
            return;
        }
        long lastNum = last.getHead().getNum();
        Optional<PeerView> helper = peers.values().stream()
                .filter(p -> p != from && !p.headersPending && p.session.isOpen() && p.headNum > lastNum
                        && p.emptyAtHeadNum != p.headNum)
                .min(Comparator.comparingLong(p -> p.lastPollNanos));
        if (helper.isEmpty()) {
            return;
        }
        PeerView p = helper.get();
        BlockId parent = ChainBlock.idOf(last.getHead());
        List<BlockId> locator = new ArrayList<>();
        locator.add(parent);
        locator.addAll(runLocator()); // a peer without that id answers from where it is: not used, not penalized
        p.headersPending = true;
        p.lastPollNanos = now;
        HeaderLookahead<Session> next = new HeaderLookahead<>(p.session, parent, locator, () -> released(p));
        run.setLookahead(next);
        p.session.request(getHeaders(locator), config.headersTimeout()).whenCompleteAsync(next::complete, loop);
    }

    /** A dropped look-ahead's answer is in: the peer may be asked again, at once if it is ahead of us. */
    private void released(PeerView peer) {
        peer.headersPending = false;
        if (peers.get(peer.session) != peer) {
            return; // gone
        }
        long now = now();
        if (run != null) {
            continueHeaders(now);
        } else {
            compare(peer, now); // the run ended while it was asked: it may be the one with more
        }
    }

    /** The source's batch is in: its look-ahead, if it extends it, continues the header chain. */
    private boolean useLookahead() {
        Optional<HeaderLookahead<Session>> next = run.takeLookahead();
        if (next.isEmpty()) {
            return false;
        }
        PeerView helper = peers.get(next.get().peer());
        if (helper == null || !next.get().parent().equals(run.headerTip().id())) {
            next.get().drop();
            return false;
        }
        run.setSource(helper.session);
        run.setHeadersInFlight(true);
        SyncRun asked = run;
        next.get().use((response, error) -> onHeaders(helper, asked, next.get().locator(), response, error, true));
        return true;
    }

    private void startRun(PeerView source, Link anchor, List<Link> links, boolean complete) {
        if (run != null) {
            log.info("Peer {} is on another branch from #{}: restarting sync there", source.session, anchor.num());
            run.close();
        }
        run = new SyncRun(chain, codec, scores, metrics, config, loop, source.session, anchor);
        run.extend(links, complete);
        for (PeerView p : peers.values()) {
            if (p != source) {
                run.peerHead(p.session, p.headNum);
            }
        }
        log.info("Syncing from #{} towards #{}{} (header source {}, {} peers)", chain.head().num(), run.headerTip().num(),
                complete ? "" : "+", source.session, peers.size());
        updateProgress(now());
    }

    /** Our header tip first, then our chain's locator: a new source continues our header chain if it can. */
    private List<BlockId> runLocator() {
        List<BlockId> locator = new ArrayList<>();
        locator.add(run.headerTip().id());
        locator.addAll(chain.locator());
        return locator;
    }

    /** Keeps headers coming: from the source while it has more, else from a peer that claims a higher head. */
    private void continueHeaders(long now) {
        if (run == null || run.headersInFlight()) {
            return;
        }
        PeerView source = peers.get(run.source());
        if (source != null && run.wantsHeaders()) {
            if (!source.headersPending) {
                requestHeaders(source, runLocator(), now);
            }
            return;
        }
        boolean sourceUsable = source != null && !run.headersExhausted();
        if (sourceUsable) {
            return; // no room yet: asked again as bodies drain
        }
        List<PeerView> ahead = peers.values().stream()
                .filter(p -> p.headNum > run.headerTip().num() && p.emptyAtHeadNum != p.headNum)
                .toList();
        Optional<PeerView> better = ahead.stream().filter(p -> !p.headersPending).max(Comparator.comparingLong(p -> p.headNum));
        if (better.isPresent()) {
            run.setSource(better.get().session);
            requestHeaders(better.get(), runLocator(), now);
        } else if (source == null && ahead.isEmpty()) {
            run.markHeadersExhausted(); // nobody to ask: apply what we have
        }
        // else a peer that claims more still owes us an answer (e.g. a dropped look-ahead): asked once it is in
    }

    private void finishIfComplete() {
        if (run == null || !run.isComplete()) {
            return;
        }
        log.info("Sync done at #{} ({} blocks applied since #{})", chain.head().num(), chain.head().num() - run.startNum(),
                run.startNum());
        run.close();
        run = null;
        updateProgress(now());
        long now = now();
        for (PeerView p : peers.values()) {
            compare(p, now);
            if (run != null) {
                break;
            }
        }
    }

    // ---- timer

    private void tick() {
        long now = now();
        if (run != null && chain.isStopped()) {
            log.warn("Chain stopped (store write failed) at #{}: sync stops (header tip #{})", chain.head().num(),
                    run.headerTip().num());
            run.close();
            run = null;
        }
        if (run != null && now - run.lastProgressNanos() > 2 * config.maxTimeout().toNanos()) {
            // nobody serves what the run needs (peers left, or all lack it): give up, compare afresh
            log.info("Sync stalled at #{} (header tip #{}): abandoned", chain.head().num(), run.headerTip().num());
            run.close();
            run = null;
            peers.values().forEach(p -> p.emptyAtHeadNum = -1);
        }
        if (run != null) {
            if (run.wantsHeaders() || (run.headersExhausted() && !run.headersInFlight())) {
                continueHeaders(now);
            }
            run.pump(now);
            finishIfComplete();
        } else {
            // one poll per tick at most: spreads the load over peers
            peers.values().stream()
                    .filter(p -> !p.headersPending && now - p.lastPollNanos >= config.pollInterval().toNanos())
                    .findFirst()
                    .ifPresent(p -> compare(p, now));
        }
        updateProgress(now);
    }

    private void updateProgress(long now) {
        long applied = chain.head().num();
        double seconds = (now - lastRateNanos) / 1e9;
        if (seconds > 0) {
            double instant = Math.max(0, applied - lastRateNum) / seconds;
            double alpha = 1 - Math.exp(-seconds / RATE_TIME_CONSTANT_SECONDS);
            rate += alpha * (instant - rate);
            lastRateNanos = now;
            lastRateNum = applied;
        }
        if (run == null) {
            progress = new SyncProgress(SyncProgress.State.IDLE, applied, applied, applied, rate, Optional.empty());
            return;
        }
        long target = Math.max(run.headerTip().num(),
                peers.values().stream().mapToLong(p -> p.headNum).max().orElse(0));
        Optional<Duration> eta = rate > 0.5
                ? Optional.of(Duration.ofMillis((long) ((target - applied) / rate * 1000)))
                : Optional.empty();
        progress = new SyncProgress(SyncProgress.State.SYNCING, target, applied, run.startNum(), rate, eta);
    }

    // ---- executor

    private static long now() {
        return System.nanoTime();
    }

    /**
     * Work that must run: never refused for load ({@link OwnedExecutor#executeAlways}), as it is
     * bounded by sessions and requests in flight; dropped only once closed.
     */
    private void critical(Runnable task) {
        if (!executor.executeAlways(task)) {
            log.debug("Sync executor closed; dropped a task");
        }
    }

    /** Work that may be dropped under load (head announcements): refused once half the queue waits. */
    private void offer(Runnable task) {
        if (!executor.execute(task)) {
            log.debug("Sync executor busy or closed; dropped a head announcement");
        }
    }

    @Override
    public void close() {
        server.close();
        executor.close();
    }
}
