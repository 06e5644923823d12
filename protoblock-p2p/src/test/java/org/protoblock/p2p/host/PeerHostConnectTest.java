package org.protoblock.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.p2p.handshake.Service;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.session.PeerErrorException;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;
import org.protoblock.p2p.wire.proto.GetPeers;
import org.protoblock.p2p.wire.proto.Txs;

class PeerHostConnectTest {

    @ParameterizedTest
    @EnumSource(TestNet.Kind.class)
    void twoNodesAuthenticateAndExchangeHello(TestNet.Kind kind) throws Exception {
        try (TestNet net = new TestNet(kind)) {
            TestNet.Node server = net.node();
            TestNet.Node client = net.node();
            server.chain().setHead(new ChainHead(BlockId.fromHex("01".repeat(32)), 100));
            PeerAddress addr = net.listen(server);

            Session s = client.host().dial(addr, java.util.Optional.of(server.host().nodeId())).get(10, TimeUnit.SECONDS);
            assertThat(s.nodeId()).isEqualTo(server.host().nodeId());
            assertThat(s.direction()).isEqualTo(Direction.OUTBOUND);
            assertThat(s.remoteHello().head()).isEqualTo(new ChainHead(BlockId.fromHex("01".repeat(32)), 100));
            assertThat(s.remoteHello().networkId()).isEqualTo(TestNet.NETWORK);
            assertThat(s.remoteHello().services()).contains(Service.FULL);
            assertThat(s.remoteHello().listenAddresses()).contains(addr);
            assertThat(s.remoteHello().observedAddress()).isPresent(); // where the server sees us

            await().atMost(Duration.ofSeconds(10)).until(() -> server.events().connected.size() == 1);
            var atServer = server.events().connected.get(0);
            assertThat(atServer.session().nodeId()).isEqualTo(client.host().nodeId());
            assertThat(atServer.session().direction()).isEqualTo(Direction.INBOUND);
            assertThat(atServer.hello().head()).isEqualTo(new ChainHead(BlockId.fromHex("cd".repeat(32)), 42));
            // The server told us where it sees us; it matches the address it reports for the session.
            assertThat(s.remoteHello().observedAddress()).contains(atServer.session().remoteAddress());
            // ... and we told the server where we see it.
            assertThat(atServer.hello().observedAddress()).contains(s.remoteAddress());
            if (kind == TestNet.Kind.TCP) {
                assertThat(s.remoteHello().observedAddress().get().host()).isEqualTo("127.0.0.1");
            }

            // Request/response both ways, one-way messages, ping latency.
            Envelope req = Envelope.newBuilder().setTxs(Txs.newBuilder().addTxs(ByteString.copyFromUtf8("tx1"))).build();
            Envelope resp = s.request(req).get(10, TimeUnit.SECONDS);
            assertThat(resp.getIsResponse()).isTrue();
            assertThat(resp.getTxs().getTxs(0).toStringUtf8()).isEqualTo("tx1");
            Envelope back = atServer.session().request(req).get(10, TimeUnit.SECONDS);
            assertThat(back.getTxs()).isEqualTo(req.getTxs());
            assertThat(s.send(req)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.events().messages.size() >= 2);
            Duration rtt = s.ping().get(10, TimeUnit.SECONDS);
            assertThat(s.latency()).contains(rtt);
            assertThat(s.requestsInFlight()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> s.queuedBytes() == 0);

            // A request type nobody handles is answered with UNSUPPORTED, and the link stays.
            assertThatThrownBy(() -> s.request(Envelope.newBuilder().setGetPeers(GetPeers.newBuilder()).build())
                    .get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(PeerErrorException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorResponse.Code.UNSUPPORTED));
            assertThat(s.isOpen()).isTrue();

            // Disconnect on request: both sides see it, with who decided.
            s.disconnect(DisconnectReason.REQUESTED, "test over");
            await().atMost(Duration.ofSeconds(10)).until(() -> server.events().disconnected.size() == 1
                    && client.events().disconnected.size() == 1);
            assertThat(server.events().disconnected.get(0).reason()).isEqualTo(DisconnectReason.REQUESTED);
            assertThat(server.events().disconnected.get(0).byUs()).isFalse();
            assertThat(client.events().disconnected.get(0).byUs()).isTrue();
            assertThat(server.host().sessionCount()).isZero();
            assertThat(client.host().sessionCount()).isZero();
        }
    }
}
