package org.protoblock.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * A host banned through the node's {@link BanManager} ({@code setban}) is closed at accept, before
 * Noise: it gets no handshake byte and takes no handshake slot; other hosts still handshake.
 */
class BannedHostAtAcceptTest {
    @TempDir
    Path dir;

    @Test
    void aBannedHostsConnectionIsClosedAtAccept() throws Exception {
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir)) {
            TestNode node = net.addNode();
            node.p2p().peerManager().bans().ban(BanTarget.host("127.0.0.2"), Duration.ofHours(1), "test");
            PeerAddress at = node.address();

            try (Socket banned = new Socket(InetAddress.getByName(at.host()), at.port(),
                    InetAddress.getByName("127.0.0.2"), 0)) {
                banned.setSoTimeout(5_000);
                assertThat(banned.getInputStream().read()).isEqualTo(-1);
            }
            try (Socket other = new Socket(InetAddress.getByName(at.host()), at.port(),
                    InetAddress.getByName("127.0.0.3"), 0)) {
                // Another host's link is accepted and waits in its handshake.
                await().atMost(Duration.ofSeconds(5)).until(() -> node.p2p().host().pendingHandshakes() == 1);
            }
        }
    }
}
