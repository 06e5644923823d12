package org.protoblock.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.handshake.ProtocolVersion;
import org.protoblock.p2p.handshake.HelloHandler;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.LinkGuard;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.session.PeerEvents;
import org.protoblock.p2p.session.SessionLimits;
import org.protoblock.p2p.session.SessionStage;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.WireLimits;

class LinkInitializerTest {
    @Test
    void theSessionStageReadsBottomToTopBetweenHelloAndGuard() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(HelloHandler.NAME, new ChannelInboundHandlerAdapter());
        ch.pipeline().addLast(LinkInitializer.GUARD, LinkGuard.INSTANCE);
        RecordingListener listener = new RecordingListener();
        PeerEvents events = new PeerEvents();
        events.register(listener, Set.of());
        Hello hello = new Hello(ProtocolVersion.DEFAULT.current(), TestNet.NETWORK, TestNet.GENESIS, "test/1", List.of(), Optional.empty(),
                TestNet.chain().head(), Set.of(), Instant.now());
        SessionStage stage = new SessionStage(ch, NodeId.hashOf(new byte[32]), hello, Direction.INBOUND,
                PeerAddress.local("peer"), SessionLimits.DEFAULT, WireLimits.DEFAULT_MAX_ENVELOPE_BYTES,
                org.protoblock.p2p.session.OutboundBudget.unlimited(), events, s -> { });

        LinkInitializer.addSessionStage(ch.pipeline(), HelloHandler.NAME, stage);

        assertThat(ch.pipeline().names()).containsSubsequence(HelloHandler.NAME,
                "backpressure", "peer-requests", "requests", "ping", "router", LinkInitializer.GUARD);
        assertThat(listener.connected).hasSize(1); // the router, added last, told the components
        ch.finishAndReleaseAll();
        assertThat(listener.disconnected).hasSize(1);
    }
}
