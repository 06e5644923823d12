package org.protoblock.p2p.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protoblock.p2p.session.EmbeddedSessions.request;
import static org.protoblock.p2p.session.EmbeddedSessions.txs;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.host.RecordingListener;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.wire.proto.Disconnect;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;
import org.protoblock.p2p.wire.proto.GetPeers;
import org.protoblock.p2p.wire.proto.Hello;
import org.protoblock.p2p.wire.proto.Inventory;

class ProtocolRouterTest {
    private final EmbeddedChannel ch = EmbeddedSessions.channel();
    private final Session session = EmbeddedSessions.session(ch, SessionLimits.DEFAULT);
    private final RecordingListener listener = new RecordingListener();
    private final List<Session> closed = new ArrayList<>();

    ProtocolRouterTest() {
        PeerEvents events = new PeerEvents();
        events.register(listener, EnumSet.of(Envelope.BodyCase.TXS));
        EmbeddedSessions.add(ch, new PeerRequestGate(session.limits()), new ProtocolRouter(session, events, closed::add));
    }

    private ErrorResponse.Code errorAnswer() {
        Envelope answer = ch.readOutbound();
        assertThat(answer.getIsResponse()).isTrue();
        return answer.getError().getCode();
    }

    @Test
    void componentsHearOfTheSessionWhenTheStageIsInPlace() {
        assertThat(listener.connected).hasSize(1);
        assertThat(listener.connected.get(0).session()).isSameAs(session);
    }

    @Test
    void messagesGoToTheComponentsRegisteredForTheirType() {
        ch.writeInbound(txs("one-way"), request(1, "asked"));
        assertThat(listener.messages).containsExactly(txs("one-way"), request(1, "asked"));
        Envelope echo = ch.readOutbound(); // RecordingListener answers requests by echo
        assertThat(echo.getRequestId()).isEqualTo(1);
        assertThat(echo.getIsResponse()).isTrue();
    }

    @Test
    void requestsNoComponentHandlesAreAnsweredAndOneWayOnesIgnored() {
        ch.writeInbound(Envelope.newBuilder().setRequestId(1).setGetPeers(GetPeers.getDefaultInstance()).build());
        assertThat(errorAnswer()).isEqualTo(ErrorResponse.Code.UNSUPPORTED);
        ch.writeInbound(Envelope.newBuilder().setRequestId(2).setHello(Hello.getDefaultInstance()).build());
        assertThat(errorAnswer()).isEqualTo(ErrorResponse.Code.BAD_REQUEST);
        ch.writeInbound(Envelope.newBuilder().setInventory(Inventory.getDefaultInstance()).build());
        assertThat(ch.outboundMessages()).isEmpty();
        assertThat(listener.messages).isEmpty();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void thePeersDisconnectEndsTheSessionOnceWithItsReason() {
        ch.writeInbound(Envelope.newBuilder().setDisconnect(Disconnect.newBuilder()
                .setReasonValue(DisconnectReason.TOO_MANY_PEERS.code()).setDetail("full")).build());
        assertThat(ch.isOpen()).isFalse();
        ch.runPendingTasks();
        assertThat(closed).containsExactly(session);
        assertThat(listener.disconnected).hasSize(1);
        assertThat(listener.disconnected.get(0).reason()).isEqualTo(DisconnectReason.TOO_MANY_PEERS);
        assertThat(listener.disconnected.get(0).byUs()).isFalse();
        assertThat(session.isOpen()).isFalse();
        assertThat(session.closed()).hasValueSatisfying(c -> assertThat(c.detail()).isEqualTo("full"));
    }
}
