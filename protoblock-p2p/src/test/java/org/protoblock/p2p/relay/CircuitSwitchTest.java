package org.protoblock.p2p.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.transport.TcpTransport;

/** The relay's circuit switch on a real TCP port, with plain sockets as the two ends. */
class CircuitSwitchTest {
    private static final CircuitBudget SMALL = new CircuitBudget(Duration.ofMinutes(1), 1_000);

    private final CircuitSwitch circuits = new CircuitSwitch(Duration.ofSeconds(2));
    private final CopyOnWriteArrayList<String> ended = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Channel> handedOn = new CopyOnWriteArrayList<>();
    private TcpTransport transport;
    private PeerAddress address;

    @BeforeEach
    void listen() throws Exception {
        transport = TcpTransport.create(1, circuits);
        ChannelInitializer<Channel> p2p = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                handedOn.add(ch);
            }
        };
        address = transport.listen(PeerAddress.tcp("127.0.0.1", 0), p2p).get(10, TimeUnit.SECONDS).address();
    }

    @AfterEach
    void close() {
        transport.close();
    }

    private Socket end(byte[] token) throws IOException {
        Socket s = new Socket(address.host(), address.port());
        s.setSoTimeout(5_000);
        s.getOutputStream().write(CircuitPreamble.of(token));
        return s;
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] out = in.readNBytes(n);
        assertThat(out).hasSize(n);
        return out;
    }

    private static boolean closedByPeer(Socket s) throws IOException {
        try {
            InputStream in = s.getInputStream();
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void twoEndsWithTheTokenAreSplicedUntilTheByteBudgetIsSpent() throws Exception {
        byte[] token = CircuitPreamble.newToken();
        circuits.expect(token, SMALL, (spliced, bytes) -> ended.add(spliced + ":" + bytes));
        try (Socket a = end(token)) {
            byte[] early = new byte[100];
            Arrays.fill(early, (byte) 7);
            a.getOutputStream().write(early); // before the other end exists: kept for it
            try (Socket b = end(token)) {
                assertThat(readExactly(b.getInputStream(), 100)).isEqualTo(early);
                OutputStream bOut = b.getOutputStream();
                bOut.write("pong".getBytes());
                assertThat(new String(readExactly(a.getInputStream(), 4))).isEqualTo("pong");
                assertThat(circuits.openCircuits()).isEqualTo(1);
                a.getOutputStream().write(new byte[950]); // 1050 bytes from a: over its 1000
                assertThat(closedByPeer(b)).isTrue();
                assertThat(closedByPeer(a)).isTrue();
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> circuits.openCircuits() == 0 && !ended.isEmpty());
        assertThat(ended.get(0)).startsWith("true:");
        assertThat(circuits.bytesRelayed()).isBetween(104L, 1_004L); // never more than the budget from a
        assertThat(circuits.circuitsSpliced()).isEqualTo(1);
        assertThat(handedOn).isEmpty();
    }

    @Test
    void anUnknownTokenIsClosedAndAnExpiredOneToo() throws Exception {
        try (Socket stranger = end(CircuitPreamble.newToken())) {
            assertThat(closedByPeer(stranger)).isTrue();
        }
        byte[] token = CircuitPreamble.newToken();
        circuits.expect(token, SMALL, (spliced, bytes) -> ended.add(spliced + ":" + bytes));
        try (Socket lonely = end(token)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> circuits.pendingCircuits() == 1);
            circuits.expire(token); // the relay service does this after the pending timeout
            assertThat(closedByPeer(lonely)).isTrue();
        }
        assertThat(ended).containsExactly("false:0");
        try (Socket late = end(token)) {
            assertThat(closedByPeer(late)).isTrue();
        }
        assertThat(circuits.circuitsSpliced()).isZero();
    }

    @Test
    void anythingElseGoesOnToTheNextProtocolWithItsBytes() throws Exception {
        try (Socket peer = new Socket(address.host(), address.port())) {
            peer.getOutputStream().write(new byte[] {0, 34, 1, 2, 3});
            await().atMost(Duration.ofSeconds(5)).until(() -> handedOn.size() == 1);
        }
    }
}
