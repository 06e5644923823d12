package org.protoblock.node.natlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.protoblock.node.testing.ChildProcess;

/**
 * Issue 12's topology with real node programs: public P (producer, the only seed, a relay) and
 * three homes behind routers of their own without gateway daemons: A and B behind port-preserving
 * masquerade, C behind a symmetric NAT. Started by {@link #start}; the tests close the nodes.
 *
 * <p>Threads: the test thread only.
 */
record HomesTopology(NatLab.Home a, NatLab.Home b, NatLab.Home c, LabNode p, LabNode nodeA, LabNode nodeB, LabNode nodeC,
                     Path wallet, Instant homesUp) {
    static final Duration FIRST_BLOCK_WITHIN = Duration.ofSeconds(30);
    static final Duration RELAY_WITHIN = Duration.ofSeconds(60);

    /**
     * Makes the network's genesis and the homes, starts P (and waits for its first block), then
     * the homes seeded with P alone; every node started is added to {@code started} at once, so the
     * caller closes (and keeps the logs of) whatever came up before a failure.
     */
    static HomesTopology start(NatLab lab, List<LabNode> started) throws Exception {
        Path network = lab.dir().resolve("net");
        ChildProcess.Result genesis = ChildProcess.run(lab.dir().resolve("genesis"), Map.of(), LabNode.START_DEADLINE,
                "genesis", "new", "--out", network.toString(), "--producers", "1");
        assertThat(genesis.exitCode()).as(genesis.stderr()).isZero();
        NatLab.Home a = lab.addHome(NatKind.CONE);
        NatLab.Home b = lab.addHome(NatKind.CONE);
        NatLab.Home c = lab.addHome(NatKind.SYMMETRIC);
        Path wallet = lab.dir().resolve("wallet");
        LabNode p = LabNode.start("p", lab.pub1, lab.dir(), network, Optional.of(network.resolve("producer-1.key")), List.of());
        started.add(p);
        p.awaitRpc();
        String beforeHomes = p.submitName("before-homes", wallet);
        await("P mines a first block").atMost(FIRST_BLOCK_WITHIN).pollInterval(Duration.ofMillis(200))
                .until(() -> p.minedTransaction(beforeHomes));

        List<String> seed = List.of(NatLab.PUB1 + ":" + LabNode.P2P_PORT);
        LabNode nodeA = LabNode.start("home-a", a.host(), lab.dir(), network, Optional.empty(), seed);
        started.add(nodeA);
        LabNode nodeB = LabNode.start("home-b", b.host(), lab.dir(), network, Optional.empty(), seed);
        started.add(nodeB);
        LabNode nodeC = LabNode.start("home-c", c.host(), lab.dir(), network, Optional.empty(), seed);
        started.add(nodeC);
        Instant up = Instant.EPOCH;
        for (LabNode home : List.of(nodeA, nodeB, nodeC)) {
            up = home.awaitRpc(); // the last one's: each home's deadlines count from its own start or later
        }
        return new HomesTopology(a, b, c, p, nodeA, nodeB, nodeC, wallet, up);
    }

    List<LabNode> homes() {
        return List.of(nodeA, nodeB, nodeC);
    }

    List<NatLab.Home> homeNetworks() {
        return List.of(a, b, c);
    }

    /** Waits until {@code target}'s signed record carries a relayed address (its reservation at P). */
    static void awaitRelayedRecord(LabNode target) {
        await(target.name + "'s signed record carries a relayed address through P").atMost(RELAY_WITHIN)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> target.networkInfo().path("peerrecord").path("addresses").toString().contains("\"relay\""));
    }

    /** getpeerinfo's {@code connection} of {@code node}'s peer {@code peerId}, or "" when not linked. */
    static String connection(LabNode node, String peerId) {
        return node.peers().stream().filter(peer -> peer.path("id").asText().equals(peerId))
                .map(peer -> peer.path("connection").asText()).findFirst().orElse("");
    }

    /** A test on the topology: {@code nodes} holds every node started (the topology's and the test's own). */
    @FunctionalInterface
    interface Scenario {
        void run(NatLab lab, HomesTopology topology, List<LabNode> nodes) throws Exception;
    }

    /**
     * Runs {@code scenario} in a new lab on a started topology (skipped without the lab's
     * prerequisites); on failure every node's log is kept; every node is closed at the end.
     */
    static void run(Scenario scenario) throws Exception {
        LabPrerequisites.require();
        List<LabNode> nodes = new ArrayList<>();
        try (NatLab lab = NatLab.create()) {
            try {
                scenario.run(lab, start(lab, nodes), nodes);
            } catch (Throwable failure) {
                throw withLogs(lab, nodes, failure);
            } finally {
                nodes.forEach(LabNode::close);
            }
        }
    }

    /** The failure to throw: {@code cause}, with every node's log saved under target/natlab-logs and its tail quoted. */
    private static AssertionError withLogs(NatLab lab, List<LabNode> nodes, Throwable cause) {
        Path logs = Path.of("target", "natlab-logs", lab.run);
        nodes.forEach(n -> n.saveLog(logs));
        return new AssertionError("(whole logs in " + logs.toAbsolutePath() + ")\n"
                + nodes.stream().map(LabNode::describe).collect(Collectors.joining("\n")), cause);
    }
}
