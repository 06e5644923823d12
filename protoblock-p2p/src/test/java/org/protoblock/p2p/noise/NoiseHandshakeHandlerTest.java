package org.protoblock.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkAttributes;
import org.protoblock.p2p.link.LinkCloser;
import org.protoblock.p2p.link.LinkGuard;

/**
 * The responder's handshake crypto runs on the executor it is given, never on the event loop, and a
 * full executor drops the link instead of queueing without bound.
 */
class NoiseHandshakeHandlerTest {
    private final NodeKey responderKey = NodeKey.generate();
    private final NodeKey initiatorKey = NodeKey.generate();
    private final NoisePrologue prologue = new NoisePrologue(1, "devnet");
    private final List<Runnable> cryptoTasks = new ArrayList<>();

    private static byte[] bytes(Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void responderCryptoRunsOnTheGivenExecutorThenTheLinkTurnsSecure() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new NoiseHandshakeHandler(responderKey, prologue, false,
                Optional.empty(), cryptoTasks::add), LinkGuard.INSTANCE);
        NoiseHandshake initiator = NoiseHandshake.initiator(initiatorKey.staticPrivateKey(), prologue.toBytes());

        ch.writeInbound(Unpooled.wrappedBuffer(initiator.writeMessage(prologue.toBytes())));
        assertThat(ch.outboundMessages()).as("no crypto on the event loop").isEmpty();
        assertThat(cryptoTasks).hasSize(1);
        cryptoTasks.remove(0).run();
        ch.runPendingTasks();
        byte[] responderIdentity = initiator.readMessage(bytes(ch.readOutbound()));
        assertThat(HandshakePayload.verify(responderIdentity, initiator.remoteStaticKey().orElseThrow()))
                .isEqualTo(responderKey.nodeId());

        ch.writeInbound(Unpooled.wrappedBuffer(initiator.writeMessage(HandshakePayload.encode(initiatorKey.staticKeyProof()))));
        assertThat(ch.attr(LinkAttributes.SECURE).get()).isNull();
        assertThat(cryptoTasks).hasSize(1);
        cryptoTasks.remove(0).run();
        ch.runPendingTasks();

        assertThat(ch.attr(LinkAttributes.SECURE).get()).isTrue();
        assertThat(ch.attr(LinkAttributes.REMOTE_NODE).get()).isEqualTo(initiatorKey.nodeId());
        assertThat(ch.pipeline().get(NoiseCipherHandler.class)).isNotNull();
        assertThat(ch.pipeline().get(NoiseHandshakeHandler.class)).isNull();
    }

    @Test
    void anIdentityThatDidNotSignTheStaticKeyIsAProtocolError() throws Exception {
        NodeKey impostor = NodeKey.generate();
        assertThat(finishAsInitiatorWith(HandshakePayload.encode(impostor.staticKeyProof())))
                .as("someone else's proof").isEqualTo(DisconnectReason.PROTOCOL_ERROR);
        assertThat(finishAsInitiatorWith(new byte[0])).as("no identity").isEqualTo(DisconnectReason.PROTOCOL_ERROR);
        assertThat(finishAsInitiatorWith(new byte[] {10, 3, 1, 2, 3})).as("malformed").isEqualTo(DisconnectReason.PROTOCOL_ERROR);
    }

    /** Runs a handshake against a responder handler whose message 3 carries {@code identityPayload}. */
    private DisconnectReason finishAsInitiatorWith(byte[] identityPayload) throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new NoiseHandshakeHandler(responderKey, prologue, false,
                Optional.empty()), LinkGuard.INSTANCE);
        NoiseHandshake initiator = NoiseHandshake.initiator(initiatorKey.staticPrivateKey(), prologue.toBytes());
        ch.writeInbound(Unpooled.wrappedBuffer(initiator.writeMessage(prologue.toBytes())));
        initiator.readMessage(bytes(ch.readOutbound()));
        ch.writeInbound(Unpooled.wrappedBuffer(initiator.writeMessage(identityPayload)));
        ch.runPendingTasks();
        assertThat(ch.attr(LinkAttributes.SECURE).get()).isNull();
        assertThat(ch.isActive()).isFalse();
        return LinkCloser.closedReason(ch).reason();
    }

    @Test
    void aFullCryptoExecutorDropsTheLink() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new NoiseHandshakeHandler(responderKey, prologue, false,
                Optional.empty(), task -> false), LinkGuard.INSTANCE);
        NoiseHandshake initiator = NoiseHandshake.initiator(initiatorKey.staticPrivateKey(), prologue.toBytes());
        ch.writeInbound(Unpooled.wrappedBuffer(initiator.writeMessage(prologue.toBytes())));
        ch.runPendingTasks();
        assertThat(ch.isActive()).isFalse();
        assertThat(LinkCloser.closedReason(ch).reason()).isEqualTo(DisconnectReason.TOO_MANY_PEERS);
    }

    @Test
    void framesBeyondTheFewHeldWhileBusyAreAProtocolError() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new NoiseHandshakeHandler(responderKey, prologue, false,
                Optional.empty(), cryptoTasks::add), LinkGuard.INSTANCE);
        NoiseHandshake initiator = NoiseHandshake.initiator(initiatorKey.staticPrivateKey(), prologue.toBytes());
        ch.writeInbound(Unpooled.wrappedBuffer(initiator.writeMessage(prologue.toBytes())));
        for (int i = 0; i <= NoiseHandshakeHandler.MAX_WAITING_FRAMES; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[64]));
        }
        ch.runPendingTasks();
        assertThat(LinkCloser.closedReason(ch).reason()).isEqualTo(DisconnectReason.PROTOCOL_ERROR);
        cryptoTasks.remove(0).run(); // the task coming back to a closed link changes nothing
        ch.runPendingTasks();
        assertThat(ch.isActive()).isFalse();
    }
}
