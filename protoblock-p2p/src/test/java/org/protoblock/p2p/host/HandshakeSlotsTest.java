package org.protoblock.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * Handshake slots before Noise: one remote host cannot take every pending-handshake slot, and a
 * refused (banned) host is closed at accept without taking one. Attackers connect from 127.0.0.2,
 * honest nodes from 127.0.0.1 (both loopback on Linux, distinct hosts to the server).
 */
class HandshakeSlotsTest {
    private static final int TOTAL_SLOTS = 8;
    private static final int SLOTS_PER_HOST = 4;
    private static final String ATTACKER = "127.0.0.2";

    private final TestNet net = new TestNet(TestNet.Kind.TCP);
    private final List<Socket> sockets = new ArrayList<>();
    private TestNet.Node server;
    private PeerAddress address;

    private void startServer() throws Exception {
        server = net.node(TestNet.fastConfig()
                .handshakeTimeout(Duration.ofSeconds(30))
                .maxPendingHandshakes(TOTAL_SLOTS)
                .maxPendingHandshakesPerHost(SLOTS_PER_HOST)
                .build(), TestNet.chain());
        address = net.listen(server);
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        net.close();
    }

    private Socket silentSocketFrom(String localHost) throws Exception {
        Socket s = new Socket(InetAddress.getByName(address.host()), address.port(), InetAddress.getByName(localHost), 0);
        s.setSoTimeout(10_000);
        sockets.add(s);
        return s;
    }

    @Test
    void oneHostsSilentConnectionsCannotStopAnotherHostsHandshake() throws Exception {
        startServer();
        for (int i = 0; i < 3 * TOTAL_SLOTS; i++) {
            silentSocketFrom(ATTACKER); // accepted in this order, before the honest dial below
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.host().pendingHandshakes() >= SLOTS_PER_HOST);

        TestNet.Node honest = net.node();
        assertThat(honest.host().dial(address).get(10, TimeUnit.SECONDS).isOpen()).isTrue();
        assertThat(server.host().pendingHandshakes()).isEqualTo(SLOTS_PER_HOST);
    }

    @Test
    void aRefusedHostIsClosedAtAcceptWithoutASlot() throws Exception {
        startServer();
        server.host().refuseInbound(a -> a.host().equals(ATTACKER));
        Socket banned = silentSocketFrom(ATTACKER);
        long start = System.nanoTime();
        assertThat(banned.getInputStream().read()).isEqualTo(-1); // closed, no Noise byte sent
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(server.host().pendingHandshakes()).isZero();
        assertThat(server.events().failures).isEmpty(); // never became a link

        TestNet.Node honest = net.node();
        assertThat(honest.host().dial(address).get(10, TimeUnit.SECONDS).isOpen()).isTrue();
    }
}
