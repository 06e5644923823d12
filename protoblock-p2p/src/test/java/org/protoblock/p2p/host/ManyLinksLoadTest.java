package org.protoblock.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.chain.StaticChainInfo;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.session.PeerEvents;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.transport.TcpTransport;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.Txs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many concurrent authenticated links to one node over loopback TCP. Each link has its own client
 * identity (one PeerHost each) but all clients share one event loop group.
 */
class ManyLinksLoadTest {
    private static final Logger log = LoggerFactory.getLogger(ManyLinksLoadTest.class);

    @Test
    void thousandConcurrentLinks() throws Exception {
        run(1000);
    }

    private void run(int links) throws Exception {
        P2pConfig serverConfig = P2pConfig.builder()
                .maxSessions(links + 10)
                .maxPendingHandshakes(links + 10)
                .maxPendingHandshakesPerHost(links + 10) // every client dials from 127.0.0.1
                .handshakeTimeout(Duration.ofSeconds(60))
                .build();
        P2pConfig clientConfig = P2pConfig.builder().handshakeTimeout(Duration.ofSeconds(60)).build();
        StaticChainInfo chain = TestNet.chain();
        List<PeerHost> clients = new ArrayList<>();
        try (TcpTransport serverTransport = TcpTransport.create(2);
             TcpTransport clientTransport = TcpTransport.create(1)) {
            PeerHost server = new PeerHost(NodeKey.generate(), chain, serverTransport, serverConfig, echoEvents());
            PeerAddress address = server.listen(PeerAddress.tcp("127.0.0.1", 0)).get(10, TimeUnit.SECONDS);
            long start = System.nanoTime();
            List<CompletableFuture<Session>> dials = new ArrayList<>();
            for (int i = 0; i < links; i++) {
                PeerHost client = new PeerHost(NodeKey.generate(), chain, clientTransport, clientConfig, new PeerEvents());
                clients.add(client);
                dials.add(client.dial(address));
            }
            CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            Duration connectTime = Duration.ofNanos(System.nanoTime() - start);
            await().atMost(Duration.ofSeconds(30)).until(() -> server.sessionCount() == links);
            assertThat(server.pendingHandshakes()).isZero();

            // Every link carries a request/response round trip, all at once.
            long rtStart = System.nanoTime();
            List<CompletableFuture<Envelope>> replies = new ArrayList<>();
            for (CompletableFuture<Session> d : dials) {
                replies.add(d.orTimeout(30, TimeUnit.SECONDS).join().request(Envelope.newBuilder()
                        .setTxs(Txs.newBuilder().addTxs(ByteString.copyFromUtf8("x"))).build()));
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            log.info("{} links: established in {} ms ({} handshakes/s), one round trip each in {} ms",
                    links, connectTime.toMillis(), links * 1000L / Math.max(1, connectTime.toMillis()),
                    Duration.ofNanos(System.nanoTime() - rtStart).toMillis());
            assertThat(dials).allSatisfy(d -> assertThat(d.orTimeout(30, TimeUnit.SECONDS).join().isOpen()).isTrue());
            server.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> clients.stream().allMatch(c -> c.sessionCount() == 0));
            clients.forEach(PeerHost::close);
        }
    }

    static PeerEvents echoEvents() {
        PeerEvents events = new PeerEvents();
        events.register(new org.protoblock.p2p.session.PeerListener() {
            @Override
            public void message(Session session, Envelope envelope) {
                session.respond(envelope, Envelope.newBuilder().setTxs(envelope.getTxs()).build());
            }
        }, java.util.EnumSet.of(Envelope.BodyCase.TXS));
        return events;
    }
}
