package org.protoblock.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkClosedException;
import org.protoblock.p2p.session.RequestRefusedException;
import org.protoblock.p2p.session.RequestTimeoutException;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.session.SessionLimits;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.Txs;

/** Request/response rules of a session, over the in-process transport. */
class SessionRequestsTest {
    private final TestNet net = new TestNet(TestNet.Kind.IN_PROCESS);
    private TestNet.Node server;
    private TestNet.Node client;

    @AfterEach
    void stop() {
        net.close();
    }

    private Session connect(SessionLimits serverLimits, SessionLimits clientLimits) throws Exception {
        server = net.node(TestNet.fastConfig().session(serverLimits).build(), TestNet.chain());
        client = net.node(TestNet.fastConfig().session(clientLimits).build(), TestNet.chain());
        Session s = client.host().dial(net.listen(server)).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.events().connected.size() == 1);
        return s;
    }

    private static Envelope txs(String text) {
        return Envelope.newBuilder().setTxs(Txs.newBuilder().addTxs(ByteString.copyFromUtf8(text))).build();
    }

    private static Throwable failure(CompletableFuture<?> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("future succeeded");
    }

    @Test
    void unansweredRequestTimesOutAndALateAnswerIsIgnored() throws Exception {
        Session s = connect(SessionLimits.DEFAULT, SessionLimits.DEFAULT);
        server.events().answerRequests = false;
        CompletableFuture<Envelope> f = s.request(txs("a"), Duration.ofMillis(200));
        assertThat(failure(f)).isInstanceOf(RequestTimeoutException.class);
        assertThat(s.requestsInFlight()).isZero();
        // The server answers after our timeout: dropped quietly, the link stays.
        Session atServer = server.events().connected.get(0).session();
        atServer.respond(server.events().messages.get(0), txs("late"));
        server.events().answerRequests = true;
        assertThat(s.request(txs("b")).get(10, TimeUnit.SECONDS).getTxs()).isEqualTo(txs("b").getTxs());
        assertThat(s.isOpen()).isTrue();
    }

    @Test
    void cancelledRequestFreesItsSlot() throws Exception {
        Session s = connect(SessionLimits.DEFAULT, SessionLimits.DEFAULT.withRequestsInFlight(1, 64));
        server.events().answerRequests = false;
        CompletableFuture<Envelope> f = s.request(txs("a"));
        await().atMost(Duration.ofSeconds(5)).until(() -> s.requestsInFlight() == 1);
        f.cancel(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> s.requestsInFlight() == 0);
        server.events().answerRequests = true;
        assertThat(s.request(txs("b")).get(10, TimeUnit.SECONDS).getTxs()).isEqualTo(txs("b").getTxs());
    }

    @Test
    void weRefuseToSendMoreThanTheCap() throws Exception {
        Session s = connect(SessionLimits.DEFAULT, SessionLimits.DEFAULT.withRequestsInFlight(4, 64));
        server.events().answerRequests = false;
        List<CompletableFuture<Envelope>> pending = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pending.add(s.request(txs("r" + i)));
        }
        assertThat(failure(s.request(txs("one too many")))).isInstanceOf(RequestRefusedException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.events().messages.size() == 4);
        assertThat(s.isOpen()).isTrue();
        pending.forEach(p -> assertThat(p).isNotDone());
    }

    @Test
    void peerSendingTooManyUnansweredRequestsIsDisconnected() throws Exception {
        Session s = connect(SessionLimits.DEFAULT.withRequestsInFlight(64, 4), SessionLimits.DEFAULT.withRequestsInFlight(10, 64));
        server.events().answerRequests = false;
        List<CompletableFuture<Envelope>> pending = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pending.add(s.request(txs("r" + i)));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> client.events().disconnected.size() == 1);
        var d = client.events().disconnected.get(0);
        assertThat(d.reason()).isEqualTo(DisconnectReason.MISBEHAVIOUR);
        assertThat(d.byUs()).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.events().disconnected.size() == 1);
        assertThat(server.events().disconnected.get(0).byUs()).isTrue();
        // Our outstanding requests fail with the reason instead of hanging until their timeout.
        pending.forEach(p -> assertThat(failure(p)).isInstanceOfSatisfying(LinkClosedException.class,
                e -> assertThat(e.reason()).isEqualTo(DisconnectReason.MISBEHAVIOUR)));
    }

    @Test
    void answeredRequestsNeverHitTheInboundCap() throws Exception {
        Session s = connect(SessionLimits.DEFAULT.withRequestsInFlight(64, 4), SessionLimits.DEFAULT.withRequestsInFlight(4, 64));
        for (int i = 0; i < 200; i++) {
            s.request(txs("r" + i)).get(10, TimeUnit.SECONDS);
        }
        assertThat(s.isOpen()).isTrue();
    }

    @Test
    void pingsKeepAnIdleLinkAliveAndMeasureLatency() throws Exception {
        server = net.node(TestNet.fastConfig().idleTimeout(Duration.ofMillis(800))
                .session(SessionLimits.DEFAULT.withPingInterval(Duration.ofMillis(200))).build(), TestNet.chain());
        client = net.node(TestNet.fastConfig().idleTimeout(Duration.ofMillis(800))
                .session(SessionLimits.DEFAULT.withPingInterval(Duration.ofMillis(200))).build(), TestNet.chain());
        Session s = client.host().dial(net.listen(server)).get(10, TimeUnit.SECONDS);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(s::isOpen);
        assertThat(s.latency()).isPresent();
        assertThat(client.events().disconnected).isEmpty();
    }

    @Test
    void oversizedOutgoingEnvelopeIsRejectedAtTheCaller() throws Exception {
        Session s = connect(SessionLimits.DEFAULT, SessionLimits.DEFAULT);
        Envelope huge = Envelope.newBuilder().setTxs(Txs.newBuilder()
                .addTxs(ByteString.copyFrom(new byte[5 * 1024 * 1024]))).build();
        assertThatThrownBy(() -> s.send(huge)).isInstanceOf(IllegalArgumentException.class);
        assertThat(s.isOpen()).isTrue();
    }

    @Test
    void messagesUpToTheMaximumSpanManyNoiseMessages() throws Exception {
        Session s = connect(SessionLimits.DEFAULT, SessionLimits.DEFAULT);
        byte[] big = new byte[3 * 1024 * 1024];
        new java.util.Random(1).nextBytes(big);
        Envelope req = Envelope.newBuilder().setTxs(Txs.newBuilder().addTxs(ByteString.copyFrom(big))).build();
        assertThat(s.request(req).get(20, TimeUnit.SECONDS).getTxs().getTxs(0).toByteArray()).isEqualTo(big);
    }
}
