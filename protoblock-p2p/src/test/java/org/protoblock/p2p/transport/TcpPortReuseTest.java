package org.protoblock.p2p.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hole-punch dials leave from the listening port; the port still belongs to one listener. Epoll and NIO alike. */
class TcpPortReuseTest {
    private static TcpTransport transport(boolean epoll) {
        TcpTransport t = epoll ? TcpTransport.create(1) : TcpTransport.createNio(1);
        assumeTrue(t.usesEpoll() == epoll, "epoll is not available here");
        return t;
    }

    private static ChannelInitializer<Channel> recording(CompletableFuture<InetSocketAddress> remote) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                remote.complete((InetSocketAddress) ch.remoteAddress());
            }
        };
    }

    @ParameterizedTest(name = "epoll: {0}")
    @ValueSource(booleans = {true, false})
    void aDialFromTheListeningPortLeavesFromThatPort(boolean epoll) throws Exception {
        try (TcpTransport a = transport(epoll); TcpTransport b = TcpTransport.create(1)) {
            assumeTrue(a.dialsFromListenPort(), "no SO_REUSEPORT on this platform");
            Transport.BoundListener aListens = a.listen(PeerAddress.tcp("127.0.0.1", 0), recording(new CompletableFuture<>()))
                    .get(5, TimeUnit.SECONDS);
            CompletableFuture<InetSocketAddress> seenByB = new CompletableFuture<>();
            Transport.BoundListener bListens = b.listen(PeerAddress.tcp("127.0.0.1", 0), recording(seenByB)).get(5, TimeUnit.SECONDS);

            Channel dialed = a.dialFrom(aListens.address().port(), bListens.address(), recording(new CompletableFuture<>()),
                    Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
            assertThat(seenByB.get(5, TimeUnit.SECONDS).getPort()).isEqualTo(aListens.address().port());
            assertThat(((InetSocketAddress) dialed.localAddress()).getPort()).isEqualTo(aListens.address().port());
            dialed.close().sync();
        }
    }

    @ParameterizedTest(name = "epoll: {0}")
    @ValueSource(booleans = {true, false})
    void aSecondListenerOnTheSamePortIsRefusedDespiteReusePort(boolean epoll) throws Exception {
        try (TcpTransport a = transport(epoll); TcpTransport other = transport(epoll)) {
            Transport.BoundListener first = a.listen(PeerAddress.tcp("127.0.0.1", 0), recording(new CompletableFuture<>()))
                    .get(5, TimeUnit.SECONDS);
            assertThatThrownBy(() -> other.listen(first.address(), recording(new CompletableFuture<>())).get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(BindException.class);
        }
    }

    @Test
    void aTransportThatCannotDialFromItsPortSaysSo() {
        try (InProcessTransport local = new InProcessTransport(1)) {
            assertThat(local.dialsFromListenPort()).isFalse();
            assertThat(local.dialFrom(1, PeerAddress.local("x"), recording(new CompletableFuture<>()), Duration.ofSeconds(1)))
                    .isCompletedExceptionally();
        }
    }
}
