package org.protoblock.p2p.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The mapper's protocol order, renewal, loss and delete against loopback gateways. */
class PortMapperTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final BiFunction<GatewayGrant, Duration, Duration> NEVER_RENEW = (grant, requested) -> Duration.ofHours(1);
    private static final BiFunction<GatewayGrant, Duration, Duration> RENEW_FAST = (grant, requested) -> Duration.ofMillis(100);

    private final List<Optional<PortMapping>> changes = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private static PortMapperConfig config(boolean upnp) {
        return new PortMapperConfig(Duration.ofMinutes(40), Duration.ofMillis(150), 2, Duration.ofMillis(300),
                Optional.of(InetAddress.getLoopbackAddress()), upnp);
    }

    private FakeNatGateway gateway() throws Exception {
        FakeNatGateway gateway = new FakeNatGateway("10.99.0.1");
        toClose.add(gateway);
        return gateway;
    }

    private PortMapper mapper(int pcpPort, Optional<InetSocketAddress> ssdp, boolean upnp,
                              BiFunction<GatewayGrant, Duration, Duration> renewal) {
        PortMapper mapper = new PortMapper(config(upnp), CLOCK, changes::add, new PortMapper.Endpoints(pcpPort, ssdp), renewal);
        toClose.add(mapper);
        return mapper;
    }

    private PortMapping awaitMapping() {
        await().atMost(WAIT).until(() -> changes.stream().anyMatch(Optional::isPresent));
        return changes.stream().flatMap(Optional::stream).findFirst().orElseThrow();
    }

    @Test
    void mapsWithPcpAndAcceptsAPrivateExternalAddress() throws Exception {
        FakeNatGateway gateway = gateway();
        PortMapper mapper = mapper(gateway.port(), Optional.empty(), false, NEVER_RENEW);
        mapper.start(8125);
        PortMapping mapping = awaitMapping();
        assertThat(mapping).isEqualTo(new PortMapping(MappingProtocol.PCP, new InetSocketAddress("10.99.0.1", 8125), 8125,
                NOW.plus(Duration.ofMinutes(40))));
        assertThat(mapper.current()).contains(mapping);
        assertThat(gateway.natPmpRequests).isEmpty();
        assertThat(FakeNatGateway.pcpLifetime(gateway.pcpRequests.get(0))).isEqualTo(2400);
    }

    @Test
    void fallsBackToNatPmpWhenTheGatewayAnswersUnsupportedVersion() throws Exception {
        FakeNatGateway gateway = gateway();
        gateway.pcp = FakeNatGateway.Pcp.NATPMP_ONLY;
        PortMapper mapper = mapper(gateway.port(), Optional.empty(), false, NEVER_RENEW);
        mapper.start(8126);
        PortMapping mapping = awaitMapping();
        assertThat(mapping.protocol()).isEqualTo(MappingProtocol.NATPMP);
        assertThat(mapping.external()).isEqualTo(new InetSocketAddress("10.99.0.1", 8126));
        assertThat(gateway.pcpRequests).as("UNSUPP_VERSION ends PCP at once, no retransmit").hasSize(1);
        assertThat(gateway.natPmpRequests.get(0)).isEqualTo(NatPmpMessages.externalAddressRequest());
        assertThat(gateway.natPmpRequests.get(1)).isEqualTo(NatPmpMessages.mapRequest(8126, 8126, 2400));
    }

    @Test
    void fallsBackToNatPmpWhenPcpIsSilent() throws Exception {
        FakeNatGateway gateway = gateway();
        gateway.pcp = FakeNatGateway.Pcp.SILENT;
        mapper(gateway.port(), Optional.empty(), false, NEVER_RENEW).start(8126);
        assertThat(awaitMapping().protocol()).isEqualTo(MappingProtocol.NATPMP);
        assertThat(gateway.pcpRequests).as("tries").hasSize(2);
    }

    @Test
    void aGrantUnderThirtySecondsIsNotAMapping() throws Exception {
        FakeNatGateway gateway = gateway();
        gateway.lifetimeSeconds = 20;
        PortMapper mapper = mapper(gateway.port(), Optional.empty(), false, NEVER_RENEW);
        mapper.start(8125);
        await().atMost(WAIT).until(() -> gateway.pcpRequests.size() >= 2 && gateway.natPmpRequests.size() >= 4);
        assertThat(changes).isEmpty();
        assertThat(mapper.current()).isEmpty();
    }

    @Test
    void renewsWithTheSameNonceAndReportsOnlyChanges() throws Exception {
        FakeNatGateway gateway = gateway();
        PortMapper mapper = mapper(gateway.port(), Optional.empty(), false, RENEW_FAST);
        mapper.start(8125);
        awaitMapping();
        await().atMost(WAIT).until(() -> gateway.pcpRequests.size() >= 4);
        byte[] nonce = FakeNatGateway.pcpNonce(gateway.pcpRequests.get(0));
        assertThat(gateway.pcpRequests).allSatisfy(request -> assertThat(FakeNatGateway.pcpNonce(request)).isEqualTo(nonce));
        assertThat(changes).as("renewals that change nothing are not reported").hasSize(1);

        gateway.external = InetAddress.getByName("10.99.0.7");
        await().atMost(WAIT).until(() -> changes.size() == 2);
        assertThat(changes.get(1).orElseThrow().external()).isEqualTo(new InetSocketAddress("10.99.0.7", 8125));
        assertThat(mapper.current()).isEqualTo(changes.get(1));
    }

    @Test
    void aFailedRenewalLosesTheMappingAndItIsRetriedLater() throws Exception {
        FakeNatGateway gateway = gateway();
        PortMapper mapper = mapper(gateway.port(), Optional.empty(), false, RENEW_FAST);
        mapper.start(8125);
        awaitMapping();
        gateway.pcp = FakeNatGateway.Pcp.SILENT;
        gateway.natPmp = false;
        await().atMost(WAIT).until(() -> changes.contains(Optional.empty()));
        assertThat(mapper.current()).isEmpty();

        gateway.pcp = FakeNatGateway.Pcp.ANSWER;
        await().atMost(WAIT).until(() -> changes.get(changes.size() - 1).isPresent());
        assertThat(mapper.current()).isPresent();
    }

    @Test
    void whenNothingAnswersItRetriesAfterTheFailureDelay() throws Exception {
        FakeNatGateway gateway = gateway();
        gateway.pcp = FakeNatGateway.Pcp.SILENT;
        gateway.natPmp = false;
        PortMapper mapper = mapper(gateway.port(), Optional.empty(), false, NEVER_RENEW);
        mapper.start(8125);
        await().atMost(WAIT).until(() -> gateway.pcpRequests.size() >= 4);
        assertThat(changes).isEmpty();
        assertThat(mapper.current()).isEmpty();
    }

    @Test
    void closeDeletesThePcpMappingWithTheNonceThatMadeIt() throws Exception {
        FakeNatGateway gateway = gateway();
        PortMapper mapper = mapper(gateway.port(), Optional.empty(), false, NEVER_RENEW);
        mapper.start(8125);
        awaitMapping();
        mapper.close();
        byte[] map = gateway.pcpRequests.get(0);
        byte[] delete = gateway.pcpRequests.get(gateway.pcpRequests.size() - 1);
        assertThat(FakeNatGateway.pcpLifetime(delete)).isZero();
        assertThat(FakeNatGateway.pcpNonce(delete)).isEqualTo(FakeNatGateway.pcpNonce(map));
        assertThat(mapper.current()).isEmpty();
    }

    @Test
    void closeDeletesTheNatPmpMapping() throws Exception {
        FakeNatGateway gateway = gateway();
        gateway.pcp = FakeNatGateway.Pcp.NATPMP_ONLY;
        PortMapper mapper = mapper(gateway.port(), Optional.empty(), false, NEVER_RENEW);
        mapper.start(8126);
        awaitMapping();
        mapper.close();
        assertThat(gateway.natPmpRequests.get(gateway.natPmpRequests.size() - 1)).isEqualTo(NatPmpMessages.mapRequest(8126, 0, 0));
    }

    @Test
    void mapsWithUpnpWhenNeitherPcpNorNatPmpListensAndDeletesOnClose() throws Exception {
        FakeIgd igd = new FakeIgd();
        toClose.add(igd);
        PortMapper mapper = mapper(closedUdpPort(), Optional.of(igd.ssdpAddress()), true, NEVER_RENEW);
        mapper.start(8127);
        PortMapping mapping = awaitMapping();
        assertThat(mapping).isEqualTo(new PortMapping(MappingProtocol.UPNP, new InetSocketAddress("10.99.0.1", 8127), 8127,
                NOW.plus(Duration.ofMinutes(40))));
        FakeIgd.Call add = igd.calls.get(0);
        assertThat(add.soapAction()).isEqualTo("\"urn:schemas-upnp-org:service:WANIPConnection:2#AddPortMapping\"");
        assertThat(add.body()).contains("<NewExternalPort>8127</NewExternalPort>", "<NewInternalClient>127.0.0.1</NewInternalClient>",
                "<NewLeaseDuration>2400</NewLeaseDuration>");
        mapper.close();
        FakeIgd.Call delete = igd.calls.get(igd.calls.size() - 1);
        assertThat(delete.soapAction()).endsWith("#DeletePortMapping\"");
        assertThat(delete.body()).contains("<NewExternalPort>8127</NewExternalPort>");
    }

    @Test
    void upnpAsksForAPermanentLeaseWhenTheGatewayOnlyTakesThose() throws Exception {
        FakeIgd igd = new FakeIgd();
        igd.onlyPermanentLeases = true;
        toClose.add(igd);
        mapper(closedUdpPort(), Optional.of(igd.ssdpAddress()), true, NEVER_RENEW).start(8127);
        PortMapping mapping = awaitMapping();
        assertThat(mapping.protocol()).isEqualTo(MappingProtocol.UPNP);
        assertThat(mapping.expires()).as("re-added within the requested lifetime").isEqualTo(NOW.plus(Duration.ofMinutes(40)));
        assertThat(igd.calls.get(1).body()).contains("<NewLeaseDuration>0</NewLeaseDuration>");
    }

    @Test
    void closeDuringASilentAttemptIsBoundedAndMapsNothing() throws Exception {
        FakeNatGateway gateway = gateway();
        gateway.pcp = FakeNatGateway.Pcp.SILENT;
        gateway.natPmp = false;
        PortMapperConfig slow = new PortMapperConfig(Duration.ofMinutes(40), Duration.ofSeconds(1), 3, Duration.ofMinutes(5),
                Optional.of(InetAddress.getLoopbackAddress()), false);
        PortMapper mapper = new PortMapper(slow, CLOCK, changes::add, new PortMapper.Endpoints(gateway.port(), Optional.empty()), NEVER_RENEW);
        toClose.add(mapper);
        mapper.start(8125);
        await().atMost(WAIT).until(() -> !gateway.pcpRequests.isEmpty());
        long start = System.nanoTime();
        mapper.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a silent gateway does not hold close up").isLessThan(Duration.ofMillis(1500));
        assertThat(changes).isEmpty();
        assertThat(mapper.current()).isEmpty();
    }

    @Test
    void closeDuringASilentRenewalStillDeletesTheMapping() throws Exception {
        FakeNatGateway gateway = gateway();
        PortMapperConfig slow = new PortMapperConfig(Duration.ofMinutes(40), Duration.ofSeconds(1), 3, Duration.ofMinutes(5),
                Optional.of(InetAddress.getLoopbackAddress()), false);
        PortMapper mapper = new PortMapper(slow, CLOCK, changes::add, new PortMapper.Endpoints(gateway.port(), Optional.empty()), RENEW_FAST);
        toClose.add(mapper);
        mapper.start(8125);
        awaitMapping();
        gateway.pcp = FakeNatGateway.Pcp.SILENT;
        int before = gateway.pcpRequests.size();
        await().atMost(WAIT).until(() -> gateway.pcpRequests.size() > before);
        gateway.pcp = FakeNatGateway.Pcp.ANSWER;
        mapper.close();
        byte[] last = gateway.pcpRequests.get(gateway.pcpRequests.size() - 1);
        assertThat(FakeNatGateway.pcpLifetime(last)).as("the delete").isZero();
        assertThat(changes).as("a renewal cut short by close is not a loss").doesNotContain(Optional.empty());
    }

    /** A loopback UDP port nobody listens on: requests there meet ICMP port unreachable. */
    private static int closedUdpPort() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return socket.getLocalPort();
        }
    }
}
