package org.protoblock.p2p.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protoblock.p2p.session.EmbeddedSessions.response;
import static org.protoblock.p2p.session.EmbeddedSessions.txs;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkClosedException;
import org.protoblock.p2p.link.LinkCloser;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;

class RequestMatcherTest {
    private final EmbeddedChannel ch = EmbeddedSessions.channel();

    private Session start(SessionLimits limits) {
        Session session = EmbeddedSessions.session(ch, limits);
        EmbeddedSessions.add(ch, new RequestMatcher(session));
        return session;
    }

    /** What {@code f} failed with (null if it succeeded); everything here completes on the spot. */
    private static Throwable failure(CompletableFuture<?> f) {
        assertThat(f).isDone();
        return f.handle((r, t) -> t).join();
    }

    @Test
    void requestsAreNumberedAndResponsesCompleteThemWithoutGoingFurther() {
        Session s = start(SessionLimits.DEFAULT);
        CompletableFuture<Envelope> a = s.request(txs("a"));
        CompletableFuture<Envelope> b = s.request(txs("b"));
        Envelope sentA = ch.readOutbound();
        Envelope sentB = ch.readOutbound();
        assertThat(sentA.getRequestId()).isEqualTo(1);
        assertThat(sentB.getRequestId()).isEqualTo(2);
        assertThat(s.requestsInFlight()).isEqualTo(2);

        ch.writeInbound(response(2, "for b"));
        assertThat(b).isCompletedWithValue(response(2, "for b"));
        assertThat(a).isNotDone();
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(s.requestsInFlight()).isEqualTo(1);
        assertThat(s.queuedBytes()).isZero();
    }

    @Test
    void errorResponseFailsTheRequestWithThePeersError() {
        Session s = start(SessionLimits.DEFAULT);
        CompletableFuture<Envelope> f = s.request(txs("a"));
        ch.writeInbound(Envelope.newBuilder().setRequestId(1).setIsResponse(true)
                .setError(ErrorResponse.newBuilder().setCode(ErrorResponse.Code.UNSUPPORTED).setMessage("no")).build());
        assertThat(failure(f)).isInstanceOf(PeerErrorException.class);
    }

    @Test
    void unansweredRequestTimesOutAndItsLateResponseIsDropped() {
        Session s = start(SessionLimits.DEFAULT);
        CompletableFuture<Envelope> f = s.request(txs("a"), Duration.ofSeconds(2));
        ch.advanceTimeBy(1_999, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(f).isNotDone();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(failure(f)).isInstanceOf(RequestTimeoutException.class);
        assertThat(s.requestsInFlight()).isZero();

        ch.writeInbound(response(1, "late"));
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void requestsOverTheCapAreRefusedAndNotSent() {
        Session s = start(SessionLimits.DEFAULT.withRequestsInFlight(2, 64));
        s.request(txs("a"));
        s.request(txs("b"));
        CompletableFuture<Envelope> third = s.request(txs("c"));
        assertThat(failure(third)).isInstanceOf(RequestRefusedException.class);
        assertThat(ch.outboundMessages()).hasSize(2);
        assertThat(s.queuedBytes()).isZero();

        ch.writeInbound(response(1, "a"));
        assertThat(s.request(txs("d"))).isNotDone();
        assertThat(ch.outboundMessages()).hasSize(3);
    }

    @Test
    void cancelledRequestFreesItsSlot() {
        Session s = start(SessionLimits.DEFAULT.withRequestsInFlight(1, 64));
        s.request(txs("a")).cancel(true);
        ch.runPendingTasks();
        assertThat(s.requestsInFlight()).isZero();
        assertThat(s.request(txs("b"))).isNotDone();
    }

    @Test
    void responseToARequestNeverSentIsAProtocolError() {
        start(SessionLimits.DEFAULT);
        ch.writeInbound(response(7, "forged"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(LinkCloser.closedReason(ch).reason()).isEqualTo(DisconnectReason.PROTOCOL_ERROR);
    }

    @Test
    void closingTheLinkFailsOpenRequestsWithItsReason() {
        Session s = start(SessionLimits.DEFAULT);
        CompletableFuture<Envelope> f = s.request(txs("a"));
        LinkCloser.close(ch, DisconnectReason.REQUESTED, "test");
        assertThat(failure(f)).isInstanceOfSatisfying(LinkClosedException.class,
                e -> assertThat(e.reason()).isEqualTo(DisconnectReason.REQUESTED));
        assertThat(s.requestsInFlight()).isZero();
        assertThat(failure(s.request(txs("after")))).isInstanceOf(LinkClosedException.class);
    }
}
