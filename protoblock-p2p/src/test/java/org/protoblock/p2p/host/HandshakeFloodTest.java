package org.protoblock.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * Finding 4 of issue 10 (remainder): silent links from many hosts cannot hold every
 * pending-handshake slot. Attackers connect from 127.N.x.y (loopback on Linux; 127.N/16 is one
 * address group per N), honest nodes from 127.0.0.1. Their connections never send a Noise byte.
 */
class HandshakeFloodTest {
    private final List<Socket> sockets = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeSockets() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
    }

    @Test
    void hostsOfTwoGroupsCannotHoldEverySlotAndOurDialsStillWork() throws Exception {
        int total = 16;
        int perGroup = 4;
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir)) {
            TestNode victim = net.addNode(net.chainConfig(), TestNetwork.fastP2pConfig()
                    .handshakeTimeout(Duration.ofSeconds(30))
                    .maxPendingHandshakes(total)
                    .maxPendingHandshakesPerGroup(perGroup)
                    .build());
            TestNode honest = net.addNode();
            TestNode dialed = net.addNode();
            for (String group : List.of("127.5", "127.6")) {
                for (int host = 1; host <= total / 2; host++) {
                    silentSocket(victim.address(), group + ".0." + host);
                    silentSocket(victim.address(), group + ".0." + host);
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> victim.p2p().host().pendingHandshakes() >= 2 * perGroup);

            assertThat(honest.p2p().dial(victim.address()).get(10, TimeUnit.SECONDS).isOpen()).as("inbound from another group").isTrue();
            assertThat(victim.p2p().dial(dialed.address()).get(10, TimeUnit.SECONDS).isOpen()).as("our own dial").isTrue();
            assertThat(victim.p2p().host().pendingHandshakes()).isEqualTo(2 * perGroup);
        }
    }

    @Test
    void oneHostIsRateLimitedAtAcceptAnotherHostOfItsGroupIsNot() throws Exception {
        int burst = 8;
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir)) {
            TestNode victim = net.addNode(net.chainConfig(), TestNetwork.fastP2pConfig()
                    .handshakeTimeout(Duration.ofSeconds(30))
                    .acceptRate(new P2pConfig.AcceptRate(burst, 0.001))
                    .build());
            List<Socket> flood = new ArrayList<>();
            for (int i = 0; i < 2 * burst; i++) {
                flood.add(silentSocket(victim.address(), "127.7.0.1")); // within the per-host cap (16)
            }
            // Accepted links are set up on two I/O threads, so which ones are refused is not their order.
            await().atMost(Duration.ofSeconds(10)).until(() -> flood.stream().filter(HandshakeFloodTest::closedByServer).count() == burst);
            assertThat(victim.p2p().host().pendingHandshakes()).isEqualTo(burst);

            silentSocket(victim.address(), "127.7.0.2");
            await().atMost(Duration.ofSeconds(10)).until(() -> victim.p2p().host().pendingHandshakes() == burst + 1);
        }
    }

    /** Closed by the server without a byte (a silent open link times out the short read instead). */
    private static boolean closedByServer(Socket socket) {
        try {
            socket.setSoTimeout(50);
            return socket.isClosed() || socket.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private Socket silentSocket(PeerAddress to, String fromHost) throws Exception {
        Socket s = new Socket(InetAddress.getByName(to.host()), to.port(), InetAddress.getByName(fromHost), 0);
        s.setSoTimeout(5_000);
        sockets.add(s);
        return s;
    }
}
