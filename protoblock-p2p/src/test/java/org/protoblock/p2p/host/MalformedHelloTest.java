package org.protoblock.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.handshake.ProtocolVersion;
import org.protoblock.p2p.handshake.HelloCodec;
import org.protoblock.p2p.handshake.Service;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.transport.PeerAddress;
import org.slf4j.LoggerFactory;

/**
 * A Hello with a malformed head id (the reproduced attack: 5 bytes) is refused cleanly: the link is
 * closed with PROTOCOL_ERROR within moments (not left open until a timeout), logged as one line
 * without a stack trace, and the node keeps accepting good peers. Through real TCP links.
 */
class MalformedHelloTest {
    private final TestNet net = new TestNet(TestNet.Kind.TCP);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void captureLogs() {
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void stop() {
        root.detachAppender(logs);
        net.close();
    }

    @Test
    void aFiveByteHeadIdClosesTheLinkWithOneLineAndNoStackTrace() throws Exception {
        TestNet.Node server = net.node(TestNet.fastConfig().handshakeTimeout(Duration.ofSeconds(20)).build(),
                TestNet.chain());
        PeerAddress address = net.listen(server);
        var chain = TestNet.chain();
        var valid = HelloCodec.toProto(new Hello(ProtocolVersion.DEFAULT.current(), chain.networkId(), chain.genesisId(), "raw", List.of(),
                Optional.empty(), chain.head(), Set.of(Service.FULL), Instant.now()));
        var malformed = valid.toBuilder()
                .setHead(valid.getHead().toBuilder().setBlockId(ByteString.copyFrom(new byte[5]))).build();

        RawPeer raw = RawPeer.connect(net.transport(), address, Optional.of(malformed));
        await().atMost(Duration.ofSeconds(5)).until(() -> !raw.isOpen());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(server.events().failures)
                .anySatisfy(f -> assertThat(f.closed().reason()).isEqualTo(DisconnectReason.PROTOCOL_ERROR)));
        assertThat(server.events().connected).isEmpty();
        assertThat(server.host().sessionCount()).isZero();

        List<ILoggingEvent> serverLines = logs.list.stream()
                .filter(e -> e.getFormattedMessage().contains("malformed Hello")).toList();
        assertThat(serverLines).hasSize(1);
        assertThat(logs.list).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());

        TestNet.Node good = net.node();
        assertThat(good.host().dial(address).get(10, TimeUnit.SECONDS).isOpen()).isTrue();
    }
}
