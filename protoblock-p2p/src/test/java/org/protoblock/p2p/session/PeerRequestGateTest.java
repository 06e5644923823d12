package org.protoblock.p2p.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protoblock.p2p.session.EmbeddedSessions.request;
import static org.protoblock.p2p.session.EmbeddedSessions.response;
import static org.protoblock.p2p.session.EmbeddedSessions.txs;

import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkCloser;
import org.protoblock.p2p.wire.proto.Envelope;

class PeerRequestGateTest {
    private final EmbeddedChannel ch = EmbeddedSessions.channel();
    private final SessionLimits limits = SessionLimits.DEFAULT.withRequestsInFlight(64, 2)
            .withRequestTimeout(Duration.ofSeconds(10));
    private final PeerRequestGate gate = new PeerRequestGate(limits);

    PeerRequestGateTest() {
        EmbeddedSessions.add(ch, gate);
    }

    @Test
    void requestsAndOneWayMessagesPassUp() {
        ch.writeInbound(request(1, "a"), txs("one-way"));
        assertThat((Envelope) ch.readInbound()).isEqualTo(request(1, "a"));
        assertThat((Envelope) ch.readInbound()).isEqualTo(txs("one-way"));
        assertThat(gate.openRequests()).isEqualTo(1);
    }

    @Test
    void peerOverTheInboundCapIsDisconnectedAsMisbehaviour() {
        ch.writeInbound(request(1, "a"), request(2, "b"));
        assertThat(ch.isOpen()).isTrue();
        ch.writeInbound(request(3, "c"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(LinkCloser.closedReason(ch).reason()).isEqualTo(DisconnectReason.MISBEHAVIOUR);
        assertThat(ch.inboundMessages()).hasSize(2); // the third went no further
    }

    @Test
    void answeredRequestsStopCounting() {
        for (long id = 1; id <= 100; id++) {
            ch.writeInbound(request(id, "r"));
            ch.writeOutbound(response(id, "answer"));
        }
        assertThat(ch.isOpen()).isTrue();
        assertThat(gate.openRequests()).isZero();
        assertThat(ch.outboundMessages()).hasSize(100);
    }

    @Test
    void requestsOlderThanTheTimeoutStopCountingAgainstTheCap() {
        ch.writeInbound(request(1, "a"), request(2, "b"));
        ch.advanceTimeBy(limits.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        ch.writeInbound(request(3, "c"));
        assertThat(ch.isOpen()).isTrue();
        // The expired ones can no longer be answered: the peer gave up on them.
        ChannelFuture late = ch.writeOneOutbound(response(1, "late"));
        ch.flushOutbound();
        assertThat(late.isSuccess()).isFalse();
        assertThat(ch.outboundMessages()).isEmpty();
    }

    @Test
    void aSecondAnswerIsNotSent() {
        ch.writeInbound(request(5, "a"));
        ChannelFuture first = ch.writeOneOutbound(response(5, "first"));
        ChannelFuture second = ch.writeOneOutbound(response(5, "second"));
        ch.flushOutbound();
        assertThat(first.isSuccess()).isTrue();
        assertThat(second.isSuccess()).isFalse();
        assertThat(ch.outboundMessages()).containsExactly(response(5, "first"));
    }

    @Test
    void reusingAnOpenRequestIdIsAProtocolError() {
        ch.writeInbound(request(9, "a"));
        ch.writeInbound(request(9, "again"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(LinkCloser.closedReason(ch).reason()).isEqualTo(DisconnectReason.PROTOCOL_ERROR);
    }
}
