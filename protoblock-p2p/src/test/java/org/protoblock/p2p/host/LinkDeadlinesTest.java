package org.protoblock.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.session.SessionLimits;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * After Noise a peer cannot hold a link by trickling: an envelope must complete within its deadline,
 * envelopes before Hello are small, and a peer that never answers our pings is dropped even while it
 * keeps sending other bytes. Through real TCP links with a {@link RawPeer}.
 */
class LinkDeadlinesTest {
    private static final Duration ENVELOPE_TIMEOUT = Duration.ofMillis(1500);
    private static final Duration SLACK = Duration.ofSeconds(5);

    private final TestNet net = new TestNet(TestNet.Kind.TCP);
    private final ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        drip.shutdownNow();
        net.close();
    }

    private TestNet.Node server(Duration pingInterval) {
        return net.node(TestNet.fastConfig()
                .handshakeTimeout(Duration.ofSeconds(20))
                .idleTimeout(Duration.ofSeconds(20))
                .envelopeTimeout(ENVELOPE_TIMEOUT)
                .session(SessionLimits.DEFAULT.withPingInterval(pingInterval))
                .build(), TestNet.chain());
    }

    private static void awaitFailure(TestNet.Node server, DisconnectReason reason) {
        await().atMost(SLACK).untilAsserted(() -> assertThat(server.events().reasons()).contains(reason));
    }

    @Test
    void aTrickledEnvelopeIsClosedAtItsDeadline() throws Exception {
        TestNet.Node server = server(Duration.ofMinutes(10));
        PeerAddress address = net.listen(server);
        RawPeer raw = RawPeer.connect(net.transport(), address);
        await().atMost(SLACK).until(() -> server.host().sessionCount() == 1);
        // A 4 MB envelope whose bytes arrive one every 100 ms: each byte resets the idle timer.
        raw.writePlain(Unpooled.buffer().writeInt(4_000_000));
        drip.scheduleAtFixedRate(() -> raw.writePlain(Unpooled.buffer().writeByte(0)), 0, 100, TimeUnit.MILLISECONDS);
        long start = System.nanoTime();
        await().atMost(ENVELOPE_TIMEOUT.plus(SLACK)).until(() -> !raw.isOpen());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(ENVELOPE_TIMEOUT.minusMillis(100));
        awaitFailure(server, DisconnectReason.IDLE_TIMEOUT);
    }

    @Test
    void beforeHelloOnlySmallEnvelopesAreAccepted() throws Exception {
        TestNet.Node server = server(Duration.ofMinutes(10));
        PeerAddress address = net.listen(server);
        RawPeer raw = RawPeer.connect(net.transport(), address, Optional.empty());
        raw.writePlain(Unpooled.buffer().writeInt(1024 * 1024).writeBytes(new byte[100]));
        // Refused on the length alone, long before the 20 s handshake deadline.
        await().atMost(SLACK).until(() -> !raw.isOpen());
        await().atMost(SLACK).untilAsserted(() -> assertThat(server.events().failures)
                .anySatisfy(f -> assertThat(f.closed().reason()).isEqualTo(DisconnectReason.PROTOCOL_ERROR)));
        assertThat(server.host().sessionCount()).isZero();
    }

    @Test
    void aPeerThatNeverAnswersPingsIsDroppedThoughItKeepsSending() throws Exception {
        TestNet.Node server = server(Duration.ofMillis(300));
        PeerAddress address = net.listen(server);
        RawPeer raw = RawPeer.connect(net.transport(), address);
        await().atMost(SLACK).until(() -> server.host().sessionCount() == 1);
        // Small complete envelopes (an unknown message type) keep the idle timer reset; pings go unanswered.
        drip.scheduleAtFixedRate(() -> raw.writePlain(Unpooled.buffer().writeInt(4)
                .writeBytes(new byte[] {(byte) 0x9a, 0x06, 0x01, 0x00})), 0, 100, TimeUnit.MILLISECONDS);
        await().atMost(SLACK).until(() -> !raw.isOpen());
        awaitFailure(server, DisconnectReason.IDLE_TIMEOUT);
    }

    @Test
    void anHonestPeerAnsweringPingsStaysLinked() throws Exception {
        TestNet.Node server = server(Duration.ofMillis(100));
        PeerAddress address = net.listen(server);
        TestNet.Node client = net.node(TestNet.fastConfig()
                .session(SessionLimits.DEFAULT.withPingInterval(Duration.ofMillis(100))).build(), TestNet.chain());
        var session = client.host().dial(address).get(10, TimeUnit.SECONDS);
        // Many ping intervals pass; each ping is answered, so none counts as missed.
        await().during(Duration.ofSeconds(2)).atMost(SLACK)
                .until(() -> session.isOpen() && server.host().sessionCount() == 1);
        assertThat(session.latency()).isPresent();
    }
}
