package org.protoblock.node.sp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protoblock.node.app.NodeApp;
import org.protoblock.node.sp.proto.NodeReply;
import org.protoblock.node.sp.proto.NodeRequest;
import org.protoblock.node.testing.LocalNet;

/** The seed's REP service on the P2P port beside the Noise protocol (port unification). */
class P2pPortSharingTest {
    @TempDir
    Path dir;

    private static String p2pUrl(NodeApp node) {
        return "tcp://" + node.p2pAddress().host() + ":" + node.p2pAddress().port();
    }

    @Test
    void peersConnectOverNoiseWhileNngcatUsesTheSamePort() throws Exception {
        assumeTrue(Nngcat.available(), "nngcat (Debian nng-utils) is not installed");
        try (LocalNet net = new LocalNet(dir)) {
            NodeApp producer = net.start(spec -> spec.withSp(SpSettings.local()));
            producer.chain().produceNow().get(10, TimeUnit.SECONDS);
            byte[] height = NodeRequest.newBuilder().setType(NodeRequest.Type.HIGHT_REQUEST).build().toByteArray();
            try (Socket held = new Socket(producer.p2pAddress().host(), producer.p2pAddress().port())) {
                // an SP client (REQ) connects first and stays while the peer connects
                held.setSoTimeout(10_000);
                DataOutputStream out = new DataOutputStream(held.getOutputStream());
                DataInputStream in = new DataInputStream(held.getInputStream());
                out.write(HexFormat.of().parseHex("0053500000300000"));
                byte[] theirs = new byte[8];
                in.readFully(theirs);
                assertThat(HexFormat.of().formatHex(theirs)).isEqualTo("0053500000310000");

                NodeApp peer = net.start();
                peer.p2p().dial(producer.p2pAddress()).get(10, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(10)).until(() -> producer.p2p().host().sessionCount() == 1
                        && peer.p2p().host().sessionCount() == 1);
                await().atMost(Duration.ofSeconds(20)).until(() -> peer.chain().head().equals(producer.chain().head()));

                // the held SP connection still answers: request id 0x80000007, then HIGHT_REQUEST
                out.writeLong(6);
                out.writeInt(0x80000007);
                out.write(height);
                long length = in.readLong();
                assertThat(in.readInt()).isEqualTo(0x80000007);
                byte[] body = new byte[(int) length - 4];
                in.readFully(body);
                assertThat(NodeReply.parseFrom(body).getHight()).isEqualTo(producer.chain().head().num());
            }

            NodeReply reply = NodeReply.parseFrom(Nngcat.request(p2pUrl(producer), height, dir));
            byte[] genesis = Nngcat.request(p2pUrl(producer),
                    NodeRequest.newBuilder().setType(NodeRequest.Type.BLOCK_REQUEST).setNum(0).build().toByteArray(), dir);

            assertThat(reply.getHight()).isEqualTo(producer.chain().head().num()).isPositive();
            assertThat(genesis).isEqualTo(producer.chain().blockAt(0).orElseThrow().proto().toByteArray());
            assertThat(producer.p2p().host().sessionCount()).isEqualTo(1);
        }
    }

    @Test
    void aConnectionThatIsNeitherIsClosedWithoutAPeer() throws Exception {
        try (LocalNet net = new LocalNet(dir)) {
            NodeApp node = net.start(spec -> spec.withSp(SpSettings.local()));
            try (Socket s = new Socket(node.p2pAddress().host(), node.p2pAddress().port())) {
                s.setSoTimeout(20_000);
                // an SP header of the wrong protocol (SUB): detected as not-REQ, so it goes to Noise, which fails it
                s.getOutputStream().write(HexFormat.of().parseHex("0053500000210000" + "00".repeat(64)));
                InputStream in = s.getInputStream();
                while (in.read() >= 0) {
                    // drain until the node closes
                }
            }
            assertThat(node.p2p().host().sessionCount()).isZero();
        }
    }

    @Test
    void withoutSpTheP2pPortIsPlainNoise() throws Exception {
        try (LocalNet net = new LocalNet(dir)) {
            NodeApp a = net.start();
            NodeApp b = net.start();

            b.p2p().dial(a.p2pAddress()).get(10, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(10)).until(() -> a.p2p().host().sessionCount() == 1);
        }
    }
}
