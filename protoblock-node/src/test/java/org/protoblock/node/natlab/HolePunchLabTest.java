package org.protoblock.node.natlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12's hole-punching acceptance with real node programs: public P (producer, seed, relay) and
 * homes A and B behind port-preserving NATs and C behind a symmetric one, every router dropping
 * unsolicited inbound TCP. A adds B by node id: the relayed link through P is upgraded to a
 * {@code holepunched} one within 10 s, again and again over fresh links; A adds C: the punch cannot
 * work through the symmetric NAT and the link stays {@code relayed}, with traffic flowing.
 */
@Tag("natlab")
class HolePunchLabTest {
    private static final Duration FULL_NODE_WITHIN = Duration.ofSeconds(30);
    private static final Duration PUNCHED_WITHIN = Duration.ofSeconds(10);
    private static final int FRESH_LINKS = 20;
    private static final double MIN_SUCCESS_RATE = 0.95;
    private static final Duration ROUTERS_FORGET_WITHIN = Duration.ofSeconds(30);

    @Test
    @Timeout(value = 12, unit = java.util.concurrent.TimeUnit.MINUTES) // 20 fresh links of up to 10 s each, plus the lab
    void aPunchesBThroughConeNatsAndStaysRelayedToCBehindASymmetricOne() throws Exception {
        HomesTopology.run((lab, t, nodes) -> {
            LabNode nodeA = t.nodeA();
            LabNode nodeB = t.nodeB();
            LabNode nodeC = t.nodeC();
            await("every home has P's head").atMost(FULL_NODE_WITHIN).pollInterval(Duration.ofMillis(250))
                    .until(() -> t.homes().stream().allMatch(h -> h.bestHash().equals(t.p().bestHash())));
            HomesTopology.awaitRelayedRecord(nodeB);
            HomesTopology.awaitRelayedRecord(nodeC);

            // A to B: relayed at first, then hole-punched; 20 fresh links.
            String bId = nodeB.nodeId();
            List<Long> punchMillis = new ArrayList<>();
            int punched = 0;
            for (int i = 0; i < FRESH_LINKS; i++) {
                Instant asked = Instant.now();
                assertThat(nodeA.rpc.call("addnode", bId).path("id").asText()).as("addnode <B's id> reached B").isEqualTo(bId);
                boolean ok = awaitConnection(nodeA, bId, "holepunched", PUNCHED_WITHIN);
                long ms = Duration.between(asked, Instant.now()).toMillis();
                System.out.printf("natlab: A to B link %d: %s after %d ms%n", i + 1,
                        ok ? "holepunched" : HomesTopology.connection(nodeA, bId), ms);
                if (ok) {
                    punched++;
                    punchMillis.add(ms);
                    assertThat(HomesTopology.connection(nodeB, nodeA.nodeId())).as("B's side of the punched link")
                            .isEqualTo("holepunched");
                }
                if (i == 0) {
                    assertThat(ok).as("the first addnode <B's id> on A gives a holepunched link within " + PUNCHED_WITHIN).isTrue();
                }
                nodeA.rpc.call("disconnectnode", bId);
                await("A and B forget the link").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> HomesTopology.connection(nodeA, bId).isEmpty()
                                && HomesTopology.connection(nodeB, nodeA.nodeId()).isEmpty());
                // A fresh link: the routers forget the last one first (a reset connection's conntrack
                // entry stays 10 s, and while it does the next punch's packets match it instead of
                // opening a new mapping, as they would after any real pause between two links).
                await("A's and B's routers forget the punched connection").atMost(ROUTERS_FORGET_WITHIN)
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> punchEntries(t.a(), t.b().wan()).isEmpty() && punchEntries(t.b(), t.a().wan()).isEmpty());
            }
            double rate = (double) punched / FRESH_LINKS;
            System.out.printf("natlab: A to B hole punching: %d of %d fresh links (%.0f %%), addnode to holepunched in ms: %s%n",
                    punched, FRESH_LINKS, rate * 100, punchMillis.stream().sorted().map(String::valueOf).collect(Collectors.joining(", ")));
            assertThat(rate).as("hole-punch success rate A to B").isGreaterThanOrEqualTo(MIN_SUCCESS_RATE);

            // A to C: the symmetric NAT gives each destination its own port, so no punch works:
            // every round fails, the link stays relayed and carries traffic.
            String cId = nodeC.nodeId();
            Instant asked = Instant.now();
            assertThat(nodeA.rpc.call("addnode", cId).path("id").asText()).as("addnode <C's id> reached C").isEqualTo(cId);
            assertThat(HomesTopology.connection(nodeA, cId)).isEqualTo("relayed");
            System.out.printf("natlab: A reached C by node id over a relayed link in %d ms%n",
                    Duration.between(asked, Instant.now()).toMillis());
            String punchToA = "Hole punch to node " + nodeA.nodeId().substring(0, 8) + " failed";
            await("C's punch to A gives up").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
                    .until(() -> nodeC.log().contains(punchToA));
            System.out.printf("natlab: C gave up punching A %d ms after the relayed link%n",
                    Duration.between(asked, Instant.now()).toMillis());
            assertThat(HomesTopology.connection(nodeA, cId)).as("A's link to C after the punch failed").isEqualTo("relayed");
            assertThat(HomesTopology.connection(nodeC, nodeA.nodeId())).isEqualTo("relayed");
            String overRelay = nodeC.submitName("over-relay", t.wallet());
            await("a transaction sent at C reaches A").atMost(FULL_NODE_WITHIN).pollInterval(Duration.ofMillis(200))
                    .until(() -> nodeA.knowsTransaction(overRelay));
            for (NatLab.Home h : t.homeNetworks()) {
                assertThat(h.router().portForwards()).as("no port forwards on " + h.routerNetns()).isEmpty();
            }
        });
    }

    /** {@code home}'s router's conntrack entries between the two nodes' P2P ports at {@code otherWan} (a punched connection). */
    private static List<String> punchEntries(NatLab.Home home, String otherWan) {
        String port = String.valueOf(LabNode.P2P_PORT);
        return home.routerNetns().run("cat", "/proc/net/nf_conntrack").lines()
                .filter(l -> l.contains("dst=" + otherWan + " ") && l.contains("sport=" + port + " dport=" + port + " "))
                .toList();
    }

    private static boolean awaitConnection(LabNode node, String peerId, String connection, Duration within) {
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(100)).until(() -> connection.equals(HomesTopology.connection(node, peerId)));
            return true;
        } catch (ConditionTimeoutException late) {
            return false;
        }
    }
}
