package org.protoblock.p2p.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.ConnectionType;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkAttributes;
import org.protoblock.p2p.link.LinkClosed;
import org.protoblock.p2p.link.LinkClosedException;
import org.protoblock.p2p.link.LinkCloser;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.WireLimits;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;
import org.protoblock.p2p.wire.proto.Ping;

/**
 * An authenticated link to one peer, after a successful Hello: request/response, one-way messages,
 * latency, disconnect.
 *
 * <p>Thread-safe: callable from any thread. Each call becomes a write down the link's pipeline, on its
 * event loop, where the session stage's handlers number requests and match responses
 * ({@link RequestMatcher}), close the peer's requests ({@link PeerRequestGate}) and apply
 * backpressure ({@link BackpressureHandler}); futures complete on that event loop, so use the
 * {@code *Async} variants with your own executor for continuations that block.
 *
 * <p>Bounds: at most {@link SessionLimits#maxRequestsInFlight()} requests unanswered; at most
 * {@link SessionLimits#maxOutboundQueueBytes()} bytes queued, counted when a call is accepted and
 * released when the transport took the bytes, and also against the node-wide {@link OutboundBudget}
 * shared by all sessions. What does not fit is refused at once, never queued.
 */
public final class Session {
    private final Channel channel;
    private final NodeId nodeId;
    private final Hello remoteHello;
    private final Direction direction;
    private final PeerAddress remoteAddress;
    private final ConnectionType connection;
    private final Instant connectedAt = Instant.now();
    private final SessionLimits limits;
    private final int maxEnvelopeBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final OutboundBudget budget;
    private volatile int requestsInFlight;
    private volatile Duration latency;
    private volatile LinkClosed closed;

    Session(Channel channel, NodeId nodeId, Hello remoteHello, Direction direction, PeerAddress remoteAddress,
            SessionLimits limits, int maxEnvelopeBytes, OutboundBudget budget) {
        this.channel = channel;
        this.nodeId = nodeId;
        this.remoteHello = remoteHello;
        this.direction = direction;
        this.remoteAddress = remoteAddress;
        this.connection = Optional.ofNullable(channel.attr(LinkAttributes.CONNECTION).get()).orElse(ConnectionType.DIRECT);
        this.limits = limits;
        this.maxEnvelopeBytes = maxEnvelopeBytes;
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    public NodeId nodeId() {
        return nodeId;
    }

    public Hello remoteHello() {
        return remoteHello;
    }

    public Direction direction() {
        return direction;
    }

    /** The peer's address as our transport sees it. */
    public PeerAddress remoteAddress() {
        return remoteAddress;
    }

    /** Direct, or relayed (then {@link #remoteAddress} is the relay's), as the link's opener marked it. */
    public ConnectionType connection() {
        return connection;
    }

    public Instant connectedAt() {
        return connectedAt;
    }

    /** Round-trip time of the last answered ping. */
    public Optional<Duration> latency() {
        return Optional.ofNullable(latency);
    }

    public boolean isOpen() {
        return closed == null && channel.isActive() && !LinkCloser.isClosing(channel);
    }

    /** How the session ended, once it has. */
    public Optional<LinkClosed> closed() {
        return Optional.ofNullable(closed);
    }

    /** Envelope bytes accepted for sending and not yet handed to the transport. */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    public int requestsInFlight() {
        return requestsInFlight;
    }

    public SessionLimits limits() {
        return limits;
    }

    /** Sends a request with the default timeout; see {@link #request(Envelope, Duration)}. */
    public CompletableFuture<Envelope> request(Envelope request) {
        return request(request, limits.requestTimeout());
    }

    /**
     * Sends {@code request} (its request id is assigned here) and completes with the response.
     * Fails with {@link RequestTimeoutException}, {@link PeerErrorException} (the peer answered with an
     * error), {@link RequestRefusedException} (too many in flight, queue full: nothing was sent) or
     * {@link org.protoblock.p2p.link.LinkClosedException}. Cancelling the future forgets the request.
     */
    public CompletableFuture<Envelope> request(Envelope request, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (request.getRequestId() != 0 || request.getIsResponse() || request.getBodyCase() == Envelope.BodyCase.BODY_NOT_SET) {
            throw new IllegalArgumentException("a request has a body, no request id and is no response");
        }
        CompletableFuture<Envelope> future = new CompletableFuture<>();
        int size = checkedSize(request);
        if (reserve(size) != Reservation.RESERVED) {
            future.completeExceptionally(new RequestRefusedException("outbound queue to " + nodeId + " is full"));
            return future;
        }
        onLoop(() -> write(new OutboundRequest(request, timeout, future), size).addListener(f -> {
            if (!f.isSuccess()) {
                future.completeExceptionally(closedException()); // no-op when a handler settled it already
            }
        }), () -> {
            release(size);
            future.completeExceptionally(closedException());
        });
        return future;
    }

    /**
     * Sends a one-way message. Returns false, sending nothing, when the link is closed or the
     * outbound queue is full (gossip may drop; a caller that must deliver uses a request).
     */
    public boolean send(Envelope message) {
        if (message.getRequestId() != 0 || message.getIsResponse()) {
            throw new IllegalArgumentException("a one-way message has no request id");
        }
        int size = checkedSize(message);
        if (!isOpen() || reserve(size) != Reservation.RESERVED) {
            return false;
        }
        onLoop(() -> write(message, size), () -> release(size));
        return true;
    }

    /** Answers a request this session delivered. Answering twice, or a non-request, is ignored. */
    public void respond(Envelope request, Envelope response) {
        if (request.getRequestId() == 0 || request.getIsResponse()) {
            throw new IllegalArgumentException("not a request");
        }
        Envelope framed = response.toBuilder().setRequestId(request.getRequestId()).setIsResponse(true).build();
        int size = checkedSize(framed);
        Reservation reservation = reserve(size);
        if (reservation == Reservation.SESSION_FULL) {
            // The peer asks faster than it reads our answers.
            disconnect(DisconnectReason.SLOW_READER, "outbound queue full while responding");
            return;
        }
        if (reservation == Reservation.NODE_FULL) {
            return; // not this peer's doing: unanswered, its request times out (the budget shed the largest queue)
        }
        onLoop(() -> write(framed, size), () -> release(size));
    }

    public void respondError(Envelope request, ErrorResponse.Code code, String message) {
        respond(request, Envelope.newBuilder()
                .setError(ErrorResponse.newBuilder().setCode(code).setMessage(message))
                .build());
    }

    /** Measures the round trip now; also updates {@link #latency()}. */
    public CompletableFuture<Duration> ping() {
        long start = System.nanoTime();
        Envelope ping = Envelope.newBuilder().setPing(Ping.newBuilder().setNonce(ThreadLocalRandom.current().nextLong())).build();
        return request(ping, limits.requestTimeout()).thenApply(pong -> {
            Duration rtt = Duration.ofNanos(System.nanoTime() - start);
            latency = rtt;
            return rtt;
        });
    }

    /** Ends the session, telling the peer why. */
    public void disconnect(DisconnectReason reason, String detail) {
        LinkCloser.close(channel, reason, detail);
    }

    void markClosed(LinkClosed how) {
        closed = how;
    }

    /** Published by {@link RequestMatcher}. */
    void requestsInFlight(int count) {
        requestsInFlight = count;
    }

    LinkClosedException closedException() {
        return new LinkClosedException(closed().orElseGet(() -> LinkCloser.closedReason(channel)));
    }

    /**
     * Writes down the pipeline (call on the event loop); the queue reservation is released when the
     * transport took the bytes or the write failed.
     */
    private ChannelPromise write(Object msg, int size) {
        ChannelPromise promise = channel.newPromise();
        promise.addListener(f -> release(size));
        channel.writeAndFlush(msg, promise);
        return promise;
    }

    private enum Reservation { RESERVED, SESSION_FULL, NODE_FULL }

    /** Takes {@code size} bytes of this session's queue bound, then of the node's budget. */
    private Reservation reserve(long size) {
        long cur;
        do {
            cur = queuedBytes.get();
            if (cur + size > limits.maxOutboundQueueBytes()) {
                return Reservation.SESSION_FULL;
            }
        } while (!queuedBytes.compareAndSet(cur, cur + size));
        if (!budget.tryReserve(size)) {
            queuedBytes.addAndGet(-size);
            return Reservation.NODE_FULL;
        }
        return Reservation.RESERVED;
    }

    private void release(long size) {
        queuedBytes.addAndGet(-size);
        budget.release(size);
    }

    private int checkedSize(Envelope envelope) {
        int size = envelope.getSerializedSize();
        if (size > maxEnvelopeBytes) {
            throw new IllegalArgumentException("envelope of " + size + " bytes exceeds " + maxEnvelopeBytes);
        }
        return WireLimits.framedSize(size);
    }

    private void onLoop(Runnable task, Runnable ifRejected) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
            return;
        }
        try {
            channel.eventLoop().execute(task);
        } catch (RejectedExecutionException e) {
            ifRejected.run(); // event loop shut down: the link is gone
        }
    }

    @Override
    public String toString() {
        return "Session[" + nodeId.shortForm() + " " + direction + " " + remoteAddress + "]";
    }
}
