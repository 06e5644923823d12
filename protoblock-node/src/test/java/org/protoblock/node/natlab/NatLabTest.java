package org.protoblock.node.natlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.protoblock.node.testing.ChildProcess;

/**
 * Issue 11's acceptance, with real node programs in the NAT lab: a producer in pub1 and plain nodes
 * in pub2 and pub3 (shared by every scenario, seeded with each other), and for each scenario a
 * fresh home node behind the router, seeded with pub1 and pub2, the router switched to the
 * scenario's NAT and gateway daemon.
 */
@Tag("natlab")
class NatLabTest {
    private static final Duration PUBLIC_WITHIN = Duration.ofSeconds(10);
    private static final Duration PRIVATE_WITHIN = Duration.ofSeconds(30);
    private static final Duration MESH_DEADLINE = Duration.ofSeconds(60);
    private static final Duration CHAIN_DEADLINE = Duration.ofSeconds(30);
    private static final String WAN_ADDRESS = "tcp://" + NatLab.WAN.replace(".", "\\.") + ":\\d+";

    private static NatLab lab;
    private static Path network;
    private static final List<LabNode> publicNodes = new ArrayList<>();
    private static LabNode producer;
    private static LabNode pub2;
    private static LabNode pub3;

    @BeforeAll
    static void startLabAndPublicNodes() throws Exception {
        LabPrerequisites.require();
        lab = NatLab.create();
        network = lab.dir().resolve("net");
        ChildProcess.Result genesis = ChildProcess.run(lab.dir().resolve("genesis"), java.util.Map.of(), LabNode.START_DEADLINE,
                "genesis", "new", "--out", network.toString(), "--producers", "1");
        assertThat(genesis.exitCode()).as(genesis.stderr()).isZero();

        String p1 = NatLab.PUB1 + ":" + LabNode.P2P_PORT;
        String p2 = NatLab.PUB2 + ":" + LabNode.P2P_PORT;
        String p3 = NatLab.PUB3 + ":" + LabNode.P2P_PORT;
        producer = startPublic("pub1", lab.pub1, Optional.of(network.resolve("producer-1.key")), List.of(p2, p3));
        pub2 = startPublic("pub2", lab.pub2, Optional.empty(), List.of(p1, p3));
        pub3 = startPublic("pub3", lab.pub3, Optional.empty(), List.of(p1, p2));
        try {
            for (LabNode n : publicNodes) {
                n.awaitRpc();
            }
            await("the public nodes mesh").atMost(MESH_DEADLINE).pollInterval(Duration.ofMillis(250))
                    .until(() -> publicNodes.stream().allMatch(n -> n.rpc.tryCall("getconnectioncount").map(JsonNode::asInt).orElse(0) >= 2));
        } catch (Throwable t) {
            throw new AssertionError(describe(List.of()), t);
        }
    }

    private static LabNode startPublic(String name, Netns netns, Optional<Path> producerKey, List<String> seeds) throws Exception {
        LabNode node = LabNode.start(name, netns, lab.dir(), network, producerKey, seeds);
        publicNodes.add(node);
        return node;
    }

    @AfterAll
    static void stopAll() {
        publicNodes.forEach(LabNode::close);
        if (lab != null) {
            lab.close();
        }
    }

    /**
     * Each protocol alone behind the cone NAT; and PCP behind the symmetric NAT, where every peer
     * sees another source port: the external address must come from the mapping, not from votes.
     */
    static Stream<Arguments> withAMapping() {
        return Stream.of(Arguments.of(NatKind.CONE, GatewayMode.PCP_ONLY), Arguments.of(NatKind.CONE, GatewayMode.NATPMP_ONLY),
                Arguments.of(NatKind.CONE, GatewayMode.UPNP_ONLY), Arguments.of(NatKind.SYMMETRIC, GatewayMode.PCP_ONLY));
    }

    @ParameterizedTest(name = "{0} NAT, gateway daemon {1}")
    @MethodSource("withAMapping")
    void behindAGatewayTheNodeMapsItsPortIsReachedInboundAndUnmapsOnShutdown(NatKind nat, GatewayMode mode) throws Exception {
        lab.configure(nat, mode);
        // The visitor starts first (its JVM start overlaps home's) and knows nobody: only the test
        // tells it about home, so its link to home is an inbound one through the mapping.
        LabNode visitor = LabNode.start("visitor-" + label(nat, mode), lab.visitor, lab.dir(), network, Optional.empty(), List.of());
        LabNode home = startHome("home-" + label(nat, mode));
        try {
            Instant up = home.awaitRpc();
            await("home reports public within " + PUBLIC_WITHIN + " of its RPC").atMost(Budgets.remaining(up, PUBLIC_WITHIN))
                    .pollInterval(Duration.ofMillis(200)).until(() -> home.reachability().equals("public"));
            report(nat, mode, "public", up);

            JsonNode info = home.networkInfo();
            JsonNode mapping = info.path("portmapping");
            String external = mapping.path("external").asText();
            assertThat(external).as("portmapping.external").matches(WAN_ADDRESS);
            assertThat(strings(info.path("externaladdresses"))).contains(external);
            assertThat(mapping.path("protocol").asText()).isEqualTo(mode.protocol.orElseThrow());
            long now = Instant.now().getEpochSecond();
            assertThat(mapping.path("expires").asLong()).as("portmapping.expires, Unix seconds in the future")
                    .isGreaterThan(now).isLessThan(now + Duration.ofDays(3650).toSeconds());
            String externalPort = external.substring(external.lastIndexOf(':') + 1);
            assertThat(lab.router().portForwards()).as("the router forwards the external port to home")
                    .anyMatch(r -> r.contains("dport " + externalPort) && r.contains(NatLab.HOME + ":" + LabNode.P2P_PORT));

            // Verified, the address is advertised at once: home's peers put it in their address books.
            String homeId = info.path("nodeid").asText();
            await("a public node's address book has home at " + external).atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .pollInterval(Duration.ofMillis(250)).until(() -> publicNodes.stream().anyMatch(n ->
                            bookEntries(n, homeId).stream().anyMatch(a -> a.equals(external))));

            // A public node dials the external address: the router forwards it to home.
            visitor.awaitRpc();
            assertThat(visitor.rpc.call("addnode", external).path("id").asText()).as("addnode " + external + " reached").isEqualTo(homeId);
            String visitorId = visitor.nodeId();
            await("home has an inbound peer from the visitor").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> home.peers().stream().anyMatch(p -> p.path("inbound").asBoolean()
                            && p.path("addr").asText().contains(NatLab.VISITOR + ":") && p.path("id").asText().equals(visitorId)));

            home.stop();
            assertThat(lab.router().portForwards()).as("DNAT rules left after a clean shutdown").isEmpty();
            assertThat(lab.router().mappingRules()).as("miniupnpd rules left after a clean shutdown").isEmpty();
        } catch (Throwable t) {
            throw new AssertionError(describe(List.of(home, visitor)), t);
        } finally {
            home.close();
            visitor.close();
        }
    }

    static Stream<Arguments> withoutAMapping() {
        return Stream.of(Arguments.of(NatKind.CONE, GatewayMode.NONE), Arguments.of(NatKind.SYMMETRIC, GatewayMode.NONE));
    }

    @ParameterizedTest(name = "{0} NAT, gateway daemon {1}")
    @MethodSource("withoutAMapping")
    void withoutAMappingTheNodeIsPrivateAdvertisesNothingAndIsStillAFullNode(NatKind nat, GatewayMode mode) throws Exception {
        lab.configure(nat, mode);
        String label = label(nat, mode);
        LabNode home = startHome("home-" + label);
        try {
            Instant up = home.awaitRpc();
            String homeId = home.nodeId();

            // Full node over its outbound links: its transaction is mined, the head reaches it, and a
            // transaction sent elsewhere reaches it (typically done well inside the 30 s below).
            Path wallet = lab.dir().resolve("wallet-" + label);
            String fromHome = home.submitName("from-" + label, wallet);
            await("the producer mines the transaction sent through home").atMost(CHAIN_DEADLINE).pollInterval(Duration.ofMillis(250))
                    .until(() -> producer.minedTransaction(fromHome));
            await("home has the producer's head").atMost(CHAIN_DEADLINE).pollInterval(Duration.ofMillis(250))
                    .until(() -> home.bestHash().equals(producer.bestHash()));
            String fromPub2 = pub2.submitName("to-" + label, wallet);
            await("the transaction sent through pub2 reaches home").atMost(CHAIN_DEADLINE).pollInterval(Duration.ofMillis(250))
                    .until(() -> home.knowsTransaction(fromPub2));

            await("home reports private within " + PRIVATE_WITHIN + " of its RPC").atMost(Budgets.remaining(up, PRIVATE_WITHIN))
                    .pollInterval(Duration.ofMillis(250)).until(() -> home.reachability().equals("private"));
            report(nat, mode, "private", up);
            JsonNode info = home.networkInfo();
            assertThat(info.has("externaladdresses") && info.get("externaladdresses").isArray()).as("externaladdresses: " + info).isTrue();
            assertThat(strings(info.path("externaladdresses"))).isEmpty();
            assertThat(info.has("portmapping") && info.get("portmapping").isNull()).as("portmapping null: " + info).isTrue();

            // It advertises no address nobody can dial: the public nodes' view of it holds none.
            List<JsonNode> views = publicNodes.stream().flatMap(n -> n.peers().stream())
                    .filter(p -> p.path("id").asText().equals(homeId)).toList();
            assertThat(views).as("public nodes linked to home").isNotEmpty();
            assertThat(views.stream().flatMap(p -> strings(p.path("listenaddrs")).stream()))
                    .as("addresses home advertised in Hello").noneMatch(a -> a.contains(NatLab.WAN) || a.contains("192.168.77."));
            for (LabNode n : publicNodes) {
                assertThat(bookEntries(n, homeId)).as("home's addresses in the address book of " + n).isEmpty();
            }
            home.stop();
        } catch (Throwable t) {
            throw new AssertionError(describe(List.of(home)), t);
        } finally {
            home.close();
        }
    }

    @Test
    void aNodeOnAPublicAddressIsPublicWithoutAMapping() {
        try {
            await("pub2 reports public").atMost(PRIVATE_WITHIN).pollInterval(Duration.ofMillis(250))
                    .until(() -> pub2.reachability().equals("public"));
            JsonNode info = pub2.networkInfo();
            assertThat(strings(info.path("externaladdresses"))).contains("tcp://" + NatLab.PUB2 + ":" + LabNode.P2P_PORT);
            assertThat(info.has("portmapping") && info.get("portmapping").isNull()).as("portmapping null: " + info).isTrue();
        } catch (Throwable t) {
            throw new AssertionError(describe(List.of()), t);
        }
    }

    private static String label(NatKind nat, GatewayMode mode) {
        return (nat.name() + "-" + mode.name()).toLowerCase(java.util.Locale.ROOT).replace("_", "");
    }

    /** How long home took to know its reachability (in the test's output file: a trend, not a bound). */
    private static void report(NatKind nat, GatewayMode mode, String state, Instant up) {
        System.out.printf("natlab: %s NAT, %s: %s after %d ms of RPC%n", nat, mode, state, Duration.between(up, Instant.now()).toMillis());
    }

    private static LabNode startHome(String name) throws Exception {
        String p1 = NatLab.PUB1 + ":" + LabNode.P2P_PORT;
        String p2 = NatLab.PUB2 + ":" + LabNode.P2P_PORT;
        return LabNode.start(name, lab.home, lab.dir(), network, Optional.empty(), List.of(p1, p2));
    }

    /** The addresses {@code node}'s address book holds for {@code nodeId} (getnodeaddresses). */
    private static List<String> bookEntries(LabNode node, String nodeId) {
        return StreamSupport.stream(node.rpc.call("getnodeaddresses").spliterator(), false)
                .filter(a -> a.path("nodeid").asText().equals(nodeId)).map(a -> a.path("address").asText()).toList();
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** The nodes' state and log tails, the router's rules and daemon log; whole node logs go to target/natlab-logs. */
    private static String describe(List<LabNode> others) {
        Path logs = Path.of("target", "natlab-logs", lab == null ? "none" : lab.run);
        Stream.concat(publicNodes.stream(), others.stream()).forEach(n -> n.saveLog(logs));
        return "(whole logs in " + logs.toAbsolutePath() + ")\n"
                + Stream.concat(publicNodes.stream(), others.stream()).map(LabNode::describe).collect(Collectors.joining("\n"))
                + "\nrouter ruleset:\n" + (lab == null ? "-" : lab.router().ruleset()) + "\ngateway daemon:\n"
                + (lab == null ? "-" : tail(lab.router().daemonLog(), 30));
    }

    private static String tail(String text, int lines) {
        return text.lines().skip(Math.max(0, text.lines().count() - lines)).collect(Collectors.joining("\n"));
    }
}
