package org.protoblock.p2p.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.Ping;
import org.protoblock.p2p.wire.proto.Pong;

class PingHandlerTest {
    private static final Duration INTERVAL = Duration.ofSeconds(15);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final EmbeddedChannel ch = EmbeddedSessions.channel();
    private final Session session = EmbeddedSessions.session(ch, SessionLimits.DEFAULT
            .withPingInterval(INTERVAL).withRequestTimeout(TIMEOUT).withRequestsInFlight(2, 64));

    PingHandlerTest() {
        EmbeddedSessions.add(ch, new PeerRequestGate(session.limits()), new RequestMatcher(session),
                new PingHandler(session));
    }

    private void advance(Duration d) {
        ch.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void answersThePeersPingWithItsNonceAndKeepsItBelowTheComponents() {
        ch.writeInbound(Envelope.newBuilder().setRequestId(3).setPing(Ping.newBuilder().setNonce(77)).build());
        assertThat((Object) ch.readInbound()).isNull();
        assertThat((Envelope) ch.readOutbound()).isEqualTo(Envelope.newBuilder().setRequestId(3).setIsResponse(true)
                .setPong(Pong.newBuilder().setNonce(77)).build());
    }

    @Test
    void pingsEveryIntervalAndRecordsTheRoundTrip() {
        advance(INTERVAL.minusMillis(1));
        assertThat(ch.outboundMessages()).isEmpty();
        advance(Duration.ofMillis(1));
        Envelope ping = ch.readOutbound();
        assertThat(ping.getBodyCase()).isEqualTo(Envelope.BodyCase.PING);
        assertThat(session.latency()).isEmpty();

        ch.writeInbound(Envelope.newBuilder().setRequestId(ping.getRequestId()).setIsResponse(true)
                .setPong(Pong.newBuilder().setNonce(ping.getPing().getNonce())).build());
        assertThat(session.latency()).isPresent();
        advance(INTERVAL);
        assertThat(((Envelope) ch.readOutbound()).getBodyCase()).isEqualTo(Envelope.BodyCase.PING);
    }

    @Test
    void anUnansweredPingTimesOutWithoutClosingTheLink() {
        advance(INTERVAL);
        assertThat(session.requestsInFlight()).isEqualTo(1);
        advance(TIMEOUT);
        assertThat(session.requestsInFlight()).isZero();
        assertThat(session.latency()).isEmpty();
        assertThat(ch.isOpen()).isTrue(); // one missed pong is not yet a dead peer
    }

    private void answerLastPing() {
        Envelope ping = null;
        for (Object o; (o = ch.readOutbound()) != null; ) {
            if (o instanceof Envelope e && e.getBodyCase() == Envelope.BodyCase.PING) {
                ping = e;
            }
        }
        assertThat(ping).isNotNull();
        ch.writeInbound(Envelope.newBuilder().setRequestId(ping.getRequestId()).setIsResponse(true)
                .setPong(Pong.newBuilder().setNonce(ping.getPing().getNonce())).build());
    }

    @Test
    void pingsUnansweredForMoreThanTheAllowedTicksCloseTheLink() {
        ch.freezeTime();
        advance(INTERVAL); // first ping
        advance(INTERVAL.multipliedBy(PingHandler.MAX_MISSED_TICKS));
        assertThat(ch.isOpen()).isTrue();
        advance(INTERVAL);
        assertThat(ch.isOpen()).isFalse();
        assertThat(org.protoblock.p2p.link.LinkCloser.closedReason(ch).reason())
                .isEqualTo(org.protoblock.p2p.link.DisconnectReason.IDLE_TIMEOUT);
    }

    @Test
    void aPongResetsTheMissedCount() {
        ch.freezeTime();
        advance(INTERVAL);
        advance(INTERVAL.multipliedBy(PingHandler.MAX_MISSED_TICKS));
        answerLastPing();
        advance(INTERVAL.multipliedBy(PingHandler.MAX_MISSED_TICKS));
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void ticksWhileWePauseReadingDoNotCount() {
        ch.freezeTime();
        advance(INTERVAL);
        ch.config().setAutoRead(false);
        advance(INTERVAL.multipliedBy(10));
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void skipsTheTickWhileOurRequestsAreAtTheirCap() {
        session.request(EmbeddedSessions.txs("a"), INTERVAL.multipliedBy(2)); // still open at the tick
        session.request(EmbeddedSessions.txs("b"), INTERVAL.multipliedBy(2));
        ch.outboundMessages().clear();
        advance(INTERVAL);
        assertThat(ch.outboundMessages()).isEmpty();
    }

    @Test
    void stopsPingingOnceClosed() {
        ch.close();
        advance(INTERVAL.multipliedBy(3));
        assertThat(ch.outboundMessages()).isEmpty();
    }
}
