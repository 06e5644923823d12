package org.protoblock.p2p.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkClosedException;
import org.protoblock.p2p.link.LinkCloser;
import org.protoblock.p2p.link.LinkException;
import org.protoblock.p2p.wire.proto.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job: our requests to the peer, from id to outcome. An {@link OutboundRequest} written down
 * the pipeline gets the next id from {@link RequestTracker}, a timeout timer, and goes out as its
 * envelope; at most {@link SessionLimits#maxRequestsInFlight()} are unanswered, more are refused
 * with {@link RequestRefusedException} and nothing is sent. A response coming up completes its
 * request's future (an error response fails it with {@link PeerErrorException}) and goes no
 * further; a response to an id we never issued is a PROTOCOL_ERROR; a late one is dropped. When the
 * link ends, every open request fails with the link's {@link LinkClosedException}.
 *
 * <p>Threads: all state is owned by the channel's event loop; the number in flight is published to
 * {@link Session#requestsInFlight()} through a volatile. Futures complete on the event loop.
 */
public final class RequestMatcher extends SessionStageHandler {
    public static final String NAME = "requests";
    private static final Logger log = LoggerFactory.getLogger(RequestMatcher.class);

    private final Session session;
    private final RequestTracker requests;
    private ChannelHandlerContext ctx;

    RequestMatcher(Session session) {
        this.session = session;
        this.requests = new RequestTracker(session.limits().maxRequestsInFlight());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof OutboundRequest r)) {
            ctx.write(msg, promise);
            return;
        }
        if (ended() || LinkCloser.isClosing(ctx.channel())) {
            refuse(r, promise, session.closedException());
        } else if (r.response().isDone()) {
            promise.tryFailure(new CancellationException("request cancelled before it was sent"));
        } else if (requests.isFull()) {
            refuse(r, promise, new RequestRefusedException(
                    requests.size() + " requests already in flight to " + session.nodeId()));
        } else {
            send(ctx, r, promise);
        }
    }

    private void send(ChannelHandlerContext ctx, OutboundRequest r, ChannelPromise promise) {
        long id = requests.nextId();
        Future<?> timer = ctx.executor().schedule(() -> timedOut(id, r.timeout()),
                r.timeout().toNanos(), TimeUnit.NANOSECONDS);
        requests.add(id, new RequestTracker.Pending(r.response(), timer, ctx.executor().ticker().nanoTime()));
        publish();
        r.response().whenComplete((x, t) -> {
            if (r.response().isCancelled()) {
                forgetLater(id);
            }
        });
        promise.addListener(f -> {
            if (!f.isSuccess()) {
                requests.remove(id).ifPresent(p -> {
                    publish();
                    p.future().completeExceptionally(session.closedException());
                });
            }
        });
        ctx.write(r.request().toBuilder().setRequestId(id).build(), promise);
    }

    private static void refuse(OutboundRequest r, ChannelPromise promise, RuntimeException why) {
        r.response().completeExceptionally(why);
        promise.tryFailure(why);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Envelope response && response.getIsResponse()) {
            matched(response);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void matched(Envelope response) {
        long id = response.getRequestId();
        if (!requests.wasIssued(id)) {
            throw new LinkException(DisconnectReason.PROTOCOL_ERROR, "response to request " + id + " never sent");
        }
        requests.remove(id).ifPresentOrElse(p -> {
            publish();
            if (response.getBodyCase() == Envelope.BodyCase.ERROR) {
                p.future().completeExceptionally(
                        new PeerErrorException(response.getError().getCode(), response.getError().getMessage()));
            } else {
                p.future().complete(response);
            }
        }, () -> log.debug("{}: late response to request {}", session, id));
    }

    private void timedOut(long id, Duration timeout) {
        requests.remove(id).ifPresent(p -> {
            publish();
            p.future().completeExceptionally(new RequestTimeoutException(
                    "request " + id + " to " + session.nodeId() + " got no response within " + timeout.toMillis() + " ms"));
        });
    }

    /** A cancel may come from any thread: the tracker is touched on the event loop only. */
    private void forgetLater(long id) {
        try {
            ctx.executor().execute(() -> {
                requests.remove(id);
                publish();
            });
        } catch (RejectedExecutionException e) {
            // event loop gone: the tracker went with it
        }
    }

    @Override
    void linkEnded(ChannelHandlerContext ctx) {
        LinkClosedException failure = new LinkClosedException(LinkCloser.recordHangUp(ctx.channel()));
        requests.drain().forEach(p -> p.future().completeExceptionally(failure));
        publish();
    }

    private void publish() {
        session.requestsInFlight(requests.size());
    }
}
