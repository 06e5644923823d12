package org.protoblock.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.Txs;

/**
 * Broken and hostile peers are closed within their timeout, and the node keeps serving a good peer
 * meanwhile. Timeouts are shortened so each case takes about a second.
 */
class HostileInputTest {
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(1500);
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(1500);
    /** Slack for scheduling on a loaded 2-core machine. */
    private static final Duration SLACK = Duration.ofSeconds(5);

    private TestNet net;
    private TestNet.Node server;
    private PeerAddress address;
    private Session good;

    @BeforeEach
    void start() throws Exception {
        net = new TestNet(TestNet.Kind.TCP);
        server = net.node(TestNet.fastConfig()
                .handshakeTimeout(HANDSHAKE_TIMEOUT)
                .idleTimeout(IDLE_TIMEOUT)
                .session(org.protoblock.p2p.session.SessionLimits.DEFAULT.withPingInterval(Duration.ofMillis(400)))
                .build(), TestNet.chain());
        address = net.listen(server);
        TestNet.Node client = net.node(TestNet.fastConfig()
                .idleTimeout(IDLE_TIMEOUT)
                .session(org.protoblock.p2p.session.SessionLimits.DEFAULT.withPingInterval(Duration.ofMillis(400)))
                .build(), TestNet.chain());
        good = client.host().dial(address).get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        net.close();
    }

    private void assertGoodPeerServed() throws Exception {
        Envelope req = Envelope.newBuilder().setTxs(Txs.newBuilder().addTxs(ByteString.copyFromUtf8("still here"))).build();
        assertThat(good.request(req).get(5, TimeUnit.SECONDS).getTxs()).isEqualTo(req.getTxs());
        assertThat(good.isOpen()).isTrue();
    }

    private Socket rawSocket() throws IOException {
        Socket s = new Socket(address.host(), address.port());
        s.setSoTimeout((int) (HANDSHAKE_TIMEOUT.plus(SLACK).toMillis()));
        return s;
    }

    /** Reads until the server closes; fails if it takes longer than {@code limit}. Returns bytes read. */
    private static long awaitServerClose(Socket s, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        long total = 0;
        while (true) {
            try {
                int n = in.read(buf);
                if (n < 0) {
                    return total;
                }
                total += n;
            } catch (SocketTimeoutException e) {
                throw new AssertionError("server did not close the link within " + limit);
            } catch (IOException reset) {
                return total; // connection reset by the server: closed as well
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("server did not close the link within " + limit);
            }
        }
    }

    private void awaitServerFailure(DisconnectReason reason) {
        await().atMost(SLACK).untilAsserted(() ->
                assertThat(server.events().failures).anySatisfy(f -> assertThat(f.closed().reason()).isEqualTo(reason)));
    }

    @Test
    void garbageBytesCloseTheLink() throws Exception {
        try (Socket s = rawSocket()) {
            byte[] garbage = new byte[4096];
            new Random(7).nextBytes(garbage);
            garbage[0] = 0;
            garbage[1] = 100; // a frame that completes: it is judged at once, not timed out
            s.getOutputStream().write(garbage);
            awaitServerClose(s, Duration.ofSeconds(3));
        }
        awaitServerFailure(DisconnectReason.PROTOCOL_ERROR);
        assertGoodPeerServed();
    }

    @Test
    void randomGarbageIsClosedWithinTheHandshakeTimeout() throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            try (Socket s = rawSocket()) {
                byte[] garbage = new byte[1000];
                new Random(seed).nextBytes(garbage);
                s.getOutputStream().write(garbage);
                awaitServerClose(s, HANDSHAKE_TIMEOUT.plus(SLACK));
            }
        }
        assertGoodPeerServed();
    }

    @Test
    void silentConnectionTimesOut() throws Exception {
        long start = System.nanoTime();
        try (Socket s = rawSocket()) {
            awaitServerClose(s, HANDSHAKE_TIMEOUT.plus(SLACK));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(HANDSHAKE_TIMEOUT.minusMillis(100));
        awaitServerFailure(DisconnectReason.HANDSHAKE_TIMEOUT);
        assertGoodPeerServed();
    }

    @Test
    void truncatedNoiseFrameTimesOut() throws Exception {
        try (Socket s = rawSocket()) {
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {0x04, 0x00}); // 1024-byte frame...
            out.write(new byte[10]);           // ...of which 10 bytes ever arrive
            awaitServerClose(s, HANDSHAKE_TIMEOUT.plus(SLACK));
        }
        awaitServerFailure(DisconnectReason.HANDSHAKE_TIMEOUT);
        assertGoodPeerServed();
    }

    @Test
    void slowlorisIsClosedAtTheHandshakeDeadline() throws Exception {
        ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
        try (Socket s = rawSocket()) {
            OutputStream out = s.getOutputStream();
            drip.scheduleAtFixedRate(() -> {
                try {
                    out.write(0x55); // frame length 0x5555: never completes at this pace
                    out.flush();
                } catch (IOException closed) {
                    throw new IllegalStateException(closed); // stops the drip
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            awaitServerClose(s, HANDSHAKE_TIMEOUT.plus(SLACK));
            // Steady trickling did not extend the deadline.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HANDSHAKE_TIMEOUT.plus(SLACK));
            assertGoodPeerServed();
        } finally {
            drip.shutdownNow();
        }
        awaitServerFailure(DisconnectReason.HANDSHAKE_TIMEOUT);
    }

    @Test
    void oversizedEnvelopeLengthIsRefusedBeforeTheBody() throws Exception {
        RawPeer raw = RawPeer.connect(net.transport(), address);
        await().atMost(SLACK).until(() -> server.host().sessionCount() == 2);
        raw.writePlain(Unpooled.buffer().writeInt(Integer.MAX_VALUE).writeBytes(new byte[1000]));
        await().atMost(SLACK).until(() -> !raw.isOpen());
        await().atMost(SLACK).untilAsserted(() -> assertThat(server.events().disconnected)
                .anySatisfy(d -> assertThat(d.reason()).isEqualTo(DisconnectReason.PROTOCOL_ERROR)));
        assertGoodPeerServed();
    }

    @Test
    void malformedEnvelopeIsAProtocolError() throws Exception {
        RawPeer raw = RawPeer.connect(net.transport(), address);
        await().atMost(SLACK).until(() -> server.host().sessionCount() == 2);
        raw.writePlain(Unpooled.buffer().writeInt(8).writeLong(-1L));
        await().atMost(SLACK).until(() -> !raw.isOpen());
        assertGoodPeerServed();
    }

    @Test
    void truncatedEnvelopeAfterTheHandshakeHitsTheIdleTimeout() throws Exception {
        RawPeer raw = RawPeer.connect(net.transport(), address);
        await().atMost(SLACK).until(() -> server.host().sessionCount() == 2);
        raw.writePlain(Unpooled.buffer().writeInt(1000).writeBytes(new byte[10]));
        // The raw peer answers no pings, so nothing more arrives.
        await().atMost(IDLE_TIMEOUT.plus(SLACK)).until(() -> !raw.isOpen());
        await().atMost(SLACK).untilAsserted(() -> assertThat(server.events().disconnected)
                .anySatisfy(d -> assertThat(d.reason()).isEqualTo(DisconnectReason.IDLE_TIMEOUT)));
        assertGoodPeerServed();
    }

    @Test
    void unknownMessageTypesAreNotFatal() throws Exception {
        RawPeer raw = RawPeer.connect(net.transport(), address);
        await().atMost(SLACK).until(() -> server.host().sessionCount() == 2);
        // Field 99 of Envelope (a newer peer's message), one-way and as a request (field 1 = id 5).
        raw.writePlain(Unpooled.buffer().writeInt(4).writeBytes(new byte[] {(byte) 0x9a, 0x06, 0x01, 0x00}));
        raw.writePlain(Unpooled.buffer().writeInt(6).writeBytes(new byte[] {0x08, 0x05, (byte) 0x9a, 0x06, 0x01, 0x00}));
        assertGoodPeerServed();
        assertThat(raw.isOpen()).isTrue();
        raw.close();
    }
}
