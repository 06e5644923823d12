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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's last acceptance bullet with real node programs: the homes A, B (port-preserving
 * masquerade) and C (symmetric NAT) know only the public node P; a second public node P2, seeded
 * with P, is present. When P is gone, every home is still reachable by its node id alone through
 * P2 within 30 s: a public node Q that knows only P2 adds each home by id and gets a link.
 *
 * <p>Q's link to a home may also be one the home dialed itself: having lost P, it fills the
 * outbound slot from what P2 passes on, and Q is public. That is a direct inbound link at Q, and
 * the test accepts it (the home is reachable); which path each home took is printed.
 *
 * <p>What it takes from the node: the homes learn P2 from P's peer exchange and dial it, keep
 * reservations on two relays, drop P's when its session dies and sign their records again with
 * the relayed addresses left, which reach P2 (pushed to every peer); Q's lookup asks P2.
 */
@Tag("natlab")
class RelayFailoverTest {
    private static final Duration FULL_NODE_WITHIN = Duration.ofSeconds(30);
    private static final Duration REACHABLE_WITHIN = Duration.ofSeconds(30);
    private static final Duration MESH_WITHIN = Duration.ofSeconds(90);

    @Test
    void everyHomeStaysReachableByItsIdThroughASecondPublicNodeWhenTheFirstIsGone() throws Exception {
        HomesTopology.run((lab, net, nodes) -> {
            LabNode p = net.p();
            List<LabNode> homes = net.homes();
            Path network = lab.dir().resolve("net");
            LabNode p2 = LabNode.start("p2", lab.pub2, lab.dir(), network, Optional.empty(),
                    List.of(NatLab.PUB1 + ":" + LabNode.P2P_PORT));
            nodes.add(p2);
            p2.awaitRpc();
            await("every home has P's head").atMost(Budgets.remaining(net.homesUp(), FULL_NODE_WITHIN))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> homes.stream().allMatch(h -> h.bestHash().equals(p.bestHash())));

            String p2Id = p2.nodeId();
            await("every home learned P2 from P, dialed it and holds a reservation on it").atMost(MESH_WITHIN)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> homes.stream().allMatch(h -> relayedThrough(h, p2Id)));
            // Q knows only P2; started before P goes so that the clock below measures the network, not a JVM start.
            LabNode q = LabNode.start("q", lab.pub3, lab.dir(), network, Optional.empty(),
                    List.of(NatLab.PUB2 + ":" + LabNode.P2P_PORT));
            nodes.add(q);
            q.awaitRpc();
            await("Q is linked to P2").atMost(FULL_NODE_WITHIN).pollInterval(Duration.ofMillis(250))
                    .until(() -> !HomesTopology.connection(q, p2Id).isEmpty());

            p.stop();
            Instant gone = Instant.now();
            List<String> paths = new ArrayList<>();
            for (LabNode home : homes) {
                String id = home.nodeId();
                await("Q reaches " + home.name + " by its node id").atMost(Budgets.remaining(gone, REACHABLE_WITHIN))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> q.rpc.tryCall("addnode", id).map(r -> r.path("id").asText().equals(id)).orElse(false));
                JsonNode link = q.peers().stream().filter(peer -> peer.path("id").asText().equals(id)).findFirst()
                        .orElseThrow(() -> new AssertionError("Q's link to " + home.name + " closed right after addnode"));
                // Relayed through P2, or upgraded by a hole punch; or the home, which lost its link to P, dialed Q
                // itself (Q is public and P2 passes its address on): an inbound direct link, also reachable.
                String how = link.path("connection").asText();
                assertThat(how.equals("relayed") || how.equals("holepunched") || how.equals("direct") && link.path("inbound").asBoolean())
                        .as("Q's link to %s: %s", home.name, link).isTrue();
                paths.add(home.name + " " + how + (how.equals("direct") ? " (dialed by the home)" : ""));
            }
            System.out.printf("natlab: with P gone, Q reached the three homes by id %d ms after P stopped: %s%n",
                    Duration.between(gone, Instant.now()).toMillis(), String.join(", ", paths));
        });
    }

    /** Whether {@code home}'s signed record names a relayed address through {@code relayId}. */
    private static boolean relayedThrough(LabNode home, String relayId) {
        return home.rpc.tryCall("getnetworkinfo")
                .map(i -> i.path("peerrecord").path("addresses").toString())
                .map(addresses -> addresses.contains(relayId))
                .orElse(false);
    }
}
