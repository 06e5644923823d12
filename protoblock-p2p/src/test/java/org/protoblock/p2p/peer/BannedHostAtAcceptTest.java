package org.protoblock.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkClosedException;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.testing.TestNetwork.TestNode;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * A host banned through the node's {@link BanManager} ({@code setban}) is closed at accept, before
 * Noise: it gets no handshake byte and takes no handshake slot; other hosts still handshake. A
 * banned node id is refused once its Hello names it, before any session (and its requests) exists.
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

    @Test
    void aBannedNodeIsRefusedBeforeItsSessionExists() throws Exception {
        try (TestNetwork net = new TestNetwork(Devnet.create(1), TestNetwork.Kind.TCP, TestNetwork.Storage.MEMORY, dir)) {
            TestNode node = net.addNode();
            TestNode banned = net.addNode();
            node.p2p().peerManager().bans().ban(BanTarget.node(banned.p2p().host().nodeId()), Duration.ofHours(1), "test");

            assertThatThrownBy(() -> banned.p2p().dial(node.address()).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(LinkClosedException.class,
                            e -> assertThat(e.reason()).isEqualTo(DisconnectReason.MISBEHAVIOUR));
            assertThat(node.p2p().host().sessionCount()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> node.p2p().host().pendingHandshakes() == 0);
        }
    }
}
