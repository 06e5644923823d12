package org.protoblock.p2p.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkClosed;
import org.protoblock.p2p.link.LinkCloser;
import org.protoblock.p2p.link.LinkClosedException;
import org.protoblock.p2p.link.LinkException;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;
import org.protoblock.p2p.wire.proto.Pong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session stage of a link's pipeline, installed after a successful Hello: matches responses to
 * requests, enforces the in-flight caps both ways, answers pings, routes messages to
 * {@link PeerEvents}, and applies backpressure.
 *
 * <p>Backpressure: when the channel turns unwritable (above the write-buffer high water mark) we stop
 * reading from the peer, since what it asks would only add answers we cannot send; if it stays
 * unwritable for {@link SessionLimits#slowReaderTimeout()} the peer is closed as SLOW_READER.
 *
 * <p>Threads: every field is owned by the channel's event loop, except the volatile snapshot read
 * by {@link Session#requestsInFlight()}. {@link Session} hops here for each call.
 */
public final class SessionHandler extends ChannelDuplexHandler {
    public static final String NAME = "session";
    private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);

    private final Channel channel;
    private final Session session;
    private final SessionLimits limits;
    private final PeerEvents events;
    private final Consumer<Session> onClosed;
    private final RequestTracker requests;
    private final InboundRequests inbound;
    private volatile int inFlightSnapshot;
    private ChannelHandlerContext ctx;
    private Future<?> pingTask;
    private Future<?> slowReaderTimer;
    private boolean closeHandled;

    public SessionHandler(Channel channel, NodeId nodeId, Hello remoteHello, Direction direction,
                          PeerAddress remoteAddress, SessionLimits limits, int maxEnvelopeBytes, PeerEvents events,
                          Consumer<Session> onClosed) {
        this.channel = channel;
        this.limits = limits;
        this.events = events;
        this.onClosed = onClosed;
        this.requests = new RequestTracker(limits.maxRequestsInFlight());
        this.inbound = new InboundRequests(limits.maxInboundRequests(), limits.requestTimeout().toNanos());
        this.session = new Session(channel, nodeId, remoteHello, direction, remoteAddress, limits, maxEnvelopeBytes, this);
    }

    public Session session() {
        return session;
    }

    int requestsInFlightSnapshot() {
        return inFlightSnapshot;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        long ping = limits.pingInterval().toNanos();
        pingTask = ctx.executor().scheduleAtFixedRate(this::pingTick, ping, ping, TimeUnit.NANOSECONDS);
        events.connected(session, session.remoteHello());
        if (!channel.isWritable()) {
            onWritabilityChanged();
        }
    }

    // ---- inbound ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Envelope envelope)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (LinkCloser.isClosing(channel)) {
            return; // leaving: queued input no longer matters
        }
        if (envelope.getBodyCase() == Envelope.BodyCase.DISCONNECT) {
            var d = envelope.getDisconnect();
            LinkCloser.closedByPeer(channel, DisconnectReason.fromCode(d.getReasonValue()), d.getDetail());
        } else if (envelope.getIsResponse()) {
            onResponse(envelope);
        } else if (envelope.getRequestId() != 0) {
            onRequest(envelope);
        } else if (events.handles(envelope.getBodyCase())) {
            events.message(session, envelope);
        } else {
            log.debug("{}: ignored one-way {}", session, envelope.getBodyCase());
        }
    }

    private void onResponse(Envelope response) {
        long id = response.getRequestId();
        if (!requests.wasIssued(id)) {
            throw new LinkException(DisconnectReason.PROTOCOL_ERROR, "response to request " + id + " never sent");
        }
        requests.remove(id).ifPresentOrElse(p -> {
            updateSnapshot();
            if (response.getBodyCase() == Envelope.BodyCase.ERROR) {
                p.future().completeExceptionally(
                        new PeerErrorException(response.getError().getCode(), response.getError().getMessage()));
            } else {
                p.future().complete(response);
            }
        }, () -> log.debug("{}: late response to request {}", session, id));
    }

    private void onRequest(Envelope request) {
        switch (inbound.open(request.getRequestId(), System.nanoTime())) {
            case DUPLICATE -> throw new LinkException(DisconnectReason.PROTOCOL_ERROR,
                    "request id " + request.getRequestId() + " reused while open");
            case FULL -> {
                LinkCloser.close(channel, DisconnectReason.MISBEHAVIOUR,
                        "more than " + limits.maxInboundRequests() + " unanswered requests");
                return;
            }
            case OPENED -> { }
        }
        switch (request.getBodyCase()) {
            case PING -> session.respond(request,
                    Envelope.newBuilder().setPong(Pong.newBuilder().setNonce(request.getPing().getNonce())).build());
            case HELLO -> session.respondError(request, ErrorResponse.Code.BAD_REQUEST, "already said hello");
            default -> {
                if (events.handles(request.getBodyCase())) {
                    events.message(session, request);
                } else {
                    session.respondError(request, ErrorResponse.Code.UNSUPPORTED, "unsupported " + request.getBodyCase());
                }
            }
        }
    }

    // ---- outbound (called on the event loop by Session) ----

    void startRequest(Envelope request, Duration timeout, CompletableFuture<Envelope> future, int size) {
        if (closeHandled || LinkCloser.isClosing(channel)) {
            session.release(size);
            future.completeExceptionally(closedException());
            return;
        }
        if (future.isDone()) {
            session.release(size); // cancelled before it got here
            return;
        }
        if (requests.isFull()) {
            session.release(size);
            future.completeExceptionally(new RequestRefusedException(
                    limits.maxRequestsInFlight() + " requests already in flight to " + session.nodeId()));
            return;
        }
        long id = requests.nextId();
        Future<?> timer = ctx.executor().schedule(() -> onTimeout(id, timeout), timeout.toNanos(), TimeUnit.NANOSECONDS);
        requests.add(id, new RequestTracker.Pending(future, timer, System.nanoTime()));
        updateSnapshot();
        future.whenComplete((r, t) -> {
            if (future.isCancelled()) {
                forgetLater(id);
            }
        });
        write(request.toBuilder().setRequestId(id).build(), size);
    }

    void writeResponse(Envelope response, int size) {
        if (!inbound.close(response.getRequestId())) {
            session.release(size);
            log.debug("{}: request {} already answered or expired", session, response.getRequestId());
            return;
        }
        write(response, size);
    }

    void write(Envelope envelope, int size) {
        if (closeHandled) {
            session.release(size);
            return;
        }
        ctx.writeAndFlush(envelope).addListener(f -> {
            session.release(size);
            if (!f.isSuccess() && envelope.getRequestId() != 0 && !envelope.getIsResponse()) {
                requests.remove(envelope.getRequestId()).ifPresent(p -> {
                    updateSnapshot();
                    p.future().completeExceptionally(closedException());
                });
            }
        });
    }

    private void onTimeout(long id, Duration timeout) {
        requests.remove(id).ifPresent(p -> {
            updateSnapshot();
            p.future().completeExceptionally(new RequestTimeoutException(
                    "request " + id + " to " + session.nodeId() + " got no response within " + timeout.toMillis() + " ms"));
        });
    }

    private void forgetLater(long id) {
        try {
            ctx.executor().execute(() -> {
                requests.remove(id);
                updateSnapshot();
            });
        } catch (RejectedExecutionException e) {
            // event loop gone: the tracker went with it
        }
    }

    private void pingTick() {
        if (!requests.isFull() && session.isOpen()) {
            session.ping();
        }
    }

    LinkClosedException closedException() {
        return new LinkClosedException(session.closed().orElseGet(() -> LinkCloser.closedReason(channel)));
    }

    private void updateSnapshot() {
        inFlightSnapshot = requests.size();
    }

    // ---- backpressure ----

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        onWritabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    private void onWritabilityChanged() {
        if (LinkCloser.isClosing(channel)) {
            return;
        }
        if (!channel.isWritable()) {
            channel.config().setAutoRead(false);
            if (slowReaderTimer == null) {
                slowReaderTimer = ctx.executor().schedule(() -> {
                    if (!channel.isWritable()) {
                        LinkCloser.close(channel, DisconnectReason.SLOW_READER,
                                "unwritable for " + limits.slowReaderTimeout().toMillis() + " ms");
                    }
                }, limits.slowReaderTimeout().toNanos(), TimeUnit.NANOSECONDS);
            }
        } else {
            if (slowReaderTimer != null) {
                slowReaderTimer.cancel(false);
                slowReaderTimer = null;
            }
            channel.config().setAutoRead(true);
        }
    }

    // ---- end ----

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        onClose();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        onClose();
    }

    private void onClose() {
        if (closeHandled) {
            return;
        }
        closeHandled = true;
        LinkClosed how = LinkCloser.recordHangUp(channel);
        if (pingTask != null) {
            pingTask.cancel(false);
        }
        if (slowReaderTimer != null) {
            slowReaderTimer.cancel(false);
        }
        session.markClosed(how);
        LinkClosedException failure = new LinkClosedException(how);
        requests.drain().forEach(p -> p.future().completeExceptionally(failure));
        updateSnapshot();
        onClosed.accept(session);
        events.disconnected(session, how);
    }
}
