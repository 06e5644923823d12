package org.protoblock.p2p.sync;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.protoblock.chain.proto.BlockHeader;
import org.protoblock.chain.proto.SignedBlockHeader;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.Hash256;
import org.protoblock.p2p.chain.ChainAccess;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.wire.proto.Blocks;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;
import org.protoblock.p2p.wire.proto.GetBlocks;
import org.protoblock.p2p.wire.proto.GetHeaders;
import org.protoblock.p2p.wire.proto.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers GetHeaders and GetBlocks from the chain's stored blocks.
 *
 * <p>Rules: ids must be 32 bytes, a locator at most {@link SyncConfig#MAX_LOCATOR} ids, a GetBlocks
 * 1..{@link SyncConfig#MAX_BLOCKS_PER_REQUEST} ids (BAD_REQUEST otherwise). Headers: from the fork
 * point ({@link ChainAccess#forkPoint}) along our main chain, at most min(max_count, 2000), stopping after
 * stop_id, at a reorg seen while reading (so what we send always links), and before
 * {@code maxResponseBytes}. Blocks: the prefix of the requested ids we have, in order, stopping at
 * the first we lack, and before {@code maxResponseBytes} ({@code truncated}); the first block always
 * goes if it fits an envelope at all; none at all is NOT_FOUND. Bodies are sent as stored (no
 * re-encoding), headers as stored apart from bodies ({@link ChainAccess#serializedHeader}): serving
 * 2,000 headers never reads a block body.
 *
 * <p>Threads: requests arrive on event loops and are served on one serving thread of our own
 * (store reads never run on an event loop, nor on the sync executor), taken round-robin over peers
 * ({@link FairServeQueue}); at most {@code maxServeQueue} wait, one peer at most an eighth of them,
 * more are answered BUSY at once. {@code serveDelay} (a test knob) delays each answer
 * without blocking the thread.
 */
final class SyncServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SyncServer.class);
    private static final int ID_BYTES = Hash256.BYTES;
    private static final int PER_ITEM_OVERHEAD = 8;

    private final ChainAccess chain;
    private final Supplier<SyncConfig> config;
    private final P2pMetrics metrics;
    /** The serving thread; its queue is bounded by {@link #waiting} against the live {@code maxServeQueue}. */
    private final OwnedExecutor executor = new OwnedExecutor("sync-server", 1);
    /** Requests not yet served, per peer; guarded by itself (offered on event loops, taken on the serving thread). */
    private final FairServeQueue<Object, Runnable> waiting = new FairServeQueue<>();

    SyncServer(ChainAccess chain, Supplier<SyncConfig> config, P2pMetrics metrics) {
        this.chain = chain;
        this.config = config;
        this.metrics = metrics;
    }

    /** Where answers to one peer go: its session (tests record them instead). */
    interface Requester {
        boolean isOpen();

        void respond(Envelope request, Envelope answer);

        void respondError(Envelope request, ErrorResponse.Code code, String message);
    }

    private record SessionRequester(Session session) implements Requester {
        @Override
        public boolean isOpen() {
            return session.isOpen();
        }

        @Override
        public void respond(Envelope request, Envelope answer) {
            session.respond(request, answer);
        }

        @Override
        public void respondError(Envelope request, ErrorResponse.Code code, String message) {
            session.respondError(request, code, message);
        }
    }

    /** Called on an event loop with a GetHeaders or GetBlocks request. */
    void handle(Session session, Envelope request) {
        handle(session, request, new SessionRequester(session));
    }

    /** Queues {@code request} of {@code peer} (the fair queue's key), answered through {@code to}. Any thread. */
    void handle(Object peer, Envelope request, Requester to) {
        SyncConfig c = config.get();
        boolean queuedNow;
        synchronized (waiting) {
            queuedNow = waiting.offer(peer, () -> serve(to, request), c.maxServeQueue(), perPeerBound(c));
        }
        if (!queuedNow) {
            to.respondError(request, ErrorResponse.Code.BUSY, "sync server busy");
            return;
        }
        // One run per queued request; each takes whichever request is next in fair order.
        // executeAlways: the bound is ours (the queue above), read from the settings at each request.
        boolean accepted = c.serveDelay().isZero()
                ? executor.executeAlways(this::serveNext)
                : executor.schedule(c.serveDelay(), this::serveNext).isPresent();
        if (!accepted) {
            to.respondError(request, ErrorResponse.Code.BUSY, "shutting down");
        }
    }

    /** A peer's share of the queue: one peer cannot fill it and get every other one refused. */
    static int perPeerBound(SyncConfig c) {
        return Math.max(1, c.maxServeQueue() / 8);
    }

    private void serveNext() {
        Optional<Runnable> next;
        synchronized (waiting) {
            next = waiting.poll();
        }
        next.ifPresent(Runnable::run);
    }

    private void serve(Requester to, Envelope request) {
        try {
            if (to.isOpen()) {
                to.respond(request, answer(request));
            }
        } catch (RuntimeException e) {
            log.warn("Serving {} to {} failed", request.getBodyCase(), to, e);
            to.respondError(request, ErrorResponse.Code.INTERNAL, "internal error");
        }
    }

    /** The response envelope (an ErrorResponse for bad or unanswerable requests). Any thread. */
    Envelope answer(Envelope request) {
        return switch (request.getBodyCase()) {
            case GET_HEADERS -> headers(request.getGetHeaders());
            case GET_BLOCKS -> blocks(request.getGetBlocks());
            default -> error(ErrorResponse.Code.UNSUPPORTED, request.getBodyCase().name());
        };
    }

    private Envelope headers(GetHeaders request) {
        if (request.getLocatorCount() == 0 || request.getLocatorCount() > SyncConfig.MAX_LOCATOR) {
            return error(ErrorResponse.Code.BAD_REQUEST, "locator of " + request.getLocatorCount() + " ids");
        }
        List<BlockId> locator = new ArrayList<>(request.getLocatorCount());
        for (ByteString id : request.getLocatorList()) {
            if (id.size() != ID_BYTES) {
                return error(ErrorResponse.Code.BAD_REQUEST, "locator id of " + id.size() + " bytes");
            }
            locator.add(BlockId.wrap(id.toByteArray()));
        }
        Optional<BlockId> stop = Optional.empty();
        if (!request.getStopId().isEmpty()) {
            if (request.getStopId().size() != ID_BYTES) {
                return error(ErrorResponse.Code.BAD_REQUEST, "stop id of " + request.getStopId().size() + " bytes");
            }
            stop = Optional.of(BlockId.wrap(request.getStopId().toByteArray()));
        }
        int max = request.getMaxCount() == 0 ? SyncConfig.MAX_HEADERS : Math.min(request.getMaxCount(), SyncConfig.MAX_HEADERS);
        ChainHead fork = chain.forkPoint(locator);
        Headers.Builder out = Headers.newBuilder();
        long bytes = 0;
        BlockId expectedParent = fork.id();
        for (int num = fork.num() + 1; out.getHeadersCount() < max; num++) {
            Optional<byte[]> header = chain.mainChainId(num).flatMap(chain::serializedHeader);
            Optional<BlockHeader> parsed = header.flatMap(SyncServer::parseHeader);
            if (parsed.isEmpty() || !linksTo(parsed.get(), expectedParent)) {
                break; // our head, or a reorg moved the main chain while we read
            }
            bytes += header.get().length + PER_ITEM_OVERHEAD;
            if (bytes > config.get().maxResponseBytes()) {
                break;
            }
            out.addHeaders(ByteString.copyFrom(header.get()));
            metrics.headersServed.increment();
            expectedParent = ChainBlock.idOf(parsed.get());
            if (stop.isPresent() && stop.get().equals(expectedParent)) {
                break;
            }
        }
        return Envelope.newBuilder().setHeaders(out).build();
    }

    private Envelope blocks(GetBlocks request) {
        int count = request.getBlockIdsCount();
        if (count == 0 || count > SyncConfig.MAX_BLOCKS_PER_REQUEST) {
            return error(ErrorResponse.Code.BAD_REQUEST, count + " block ids");
        }
        for (ByteString id : request.getBlockIdsList()) {
            if (id.size() != ID_BYTES) {
                return error(ErrorResponse.Code.BAD_REQUEST, "block id of " + id.size() + " bytes");
            }
        }
        Blocks.Builder out = Blocks.newBuilder();
        long bytes = 0;
        for (ByteString id : request.getBlockIdsList()) {
            Optional<byte[]> block = chain.serializedBlock(BlockId.wrap(id.toByteArray()));
            if (block.isEmpty()) {
                break;
            }
            bytes += block.get().length + PER_ITEM_OVERHEAD;
            if (bytes > config.get().maxResponseBytes() && out.getBlocksCount() > 0) {
                out.setTruncated(true);
                break;
            }
            out.addBlocks(ByteString.copyFrom(block.get()));
            metrics.blocksServed.increment();
        }
        if (out.getBlocksCount() == 0) {
            return error(ErrorResponse.Code.NOT_FOUND, "block " + Hash256.wrap(request.getBlockIds(0).toByteArray()).shortHex());
        }
        return Envelope.newBuilder().setBlocks(out).build();
    }

    private static Optional<BlockHeader> parseHeader(byte[] header) {
        try {
            return Optional.of(SignedBlockHeader.parseFrom(header, ChainCodec.EXTENSIONS).getHead());
        } catch (InvalidProtocolBufferException e) {
            log.warn("Stored header does not decode: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private static boolean linksTo(BlockHeader header, BlockId parent) {
        String prev = header.getPrevId().toStringUtf8();
        return Hash256.isCanonicalHex(prev) && BlockId.fromHex(prev).equals(parent);
    }

    private static Envelope error(ErrorResponse.Code code, String message) {
        return Envelope.newBuilder().setError(ErrorResponse.newBuilder().setCode(code).setMessage(message)).build();
    }

    @Override
    public void close() {
        executor.close();
    }
}
