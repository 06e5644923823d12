package org.protoblock.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.session.SessionLimits;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.Txs;

/** A peer that stops reading fills its bounded queue, then is dropped as a slow reader. */
class BackpressureTest {
    @Test
    void slowReaderIsBoundedThenDisconnected() throws Exception {
        try (TestNet net = new TestNet(TestNet.Kind.TCP)) {
            TestNet.Node server = net.node(TestNet.fastConfig()
                    .session(SessionLimits.DEFAULT.withOutboundQueue(4L * 1024 * 1024, Duration.ofSeconds(1)))
                    .build(), TestNet.chain());
            PeerAddress address = net.listen(server);
            RawPeer raw = RawPeer.connect(net.transport(), address);
            raw.channel().config().setAutoRead(false); // stops reading: the kernel buffers fill, then ours
            await().atMost(Duration.ofSeconds(5)).until(() -> server.events().connected.size() == 1);
            Session toRaw = server.events().connected.get(0).session();

            Envelope chunk = Envelope.newBuilder().setTxs(Txs.newBuilder().addTxs(ByteString.copyFrom(new byte[256 * 1024]))).build();
            int accepted = 0;
            // Bounded loop: the queue cap must stop us long before this.
            for (int i = 0; i < 10_000 && toRaw.send(chunk); i++) {
                accepted++;
            }
            assertThat(accepted).isLessThan(10_000);
            assertThat(toRaw.queuedBytes()).isLessThanOrEqualTo(4L * 1024 * 1024);

            // Keep offering data: the kernel's socket buffers absorb several MiB before ours fill.
            long[] offered = {0};
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                while (offered[0] < 2_000 && toRaw.send(chunk)) {
                    offered[0]++;
                    assertThat(toRaw.queuedBytes()).isLessThanOrEqualTo(4L * 1024 * 1024);
                }
                return server.events().disconnected.size() == 1;
            });
            assertThat(server.events().disconnected.get(0).reason()).isEqualTo(DisconnectReason.SLOW_READER);
            assertThat(server.events().disconnected.get(0).byUs()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> toRaw.queuedBytes() == 0);
            raw.close();
        }
    }
}
