package org.protoblock.node.natlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The topology of issue 12 (NAT part 2, {@link HomesTopology}) with real node programs: one public
 * node P (producer and the only seed) and three homes, each behind a router of its own without any
 * gateway daemon: A and B behind port-preserving masquerade, C behind a symmetric NAT. What part 1
 * already gives them: every home is a full node through its outbound link to P alone (synced, its
 * transactions mined, the others' reaching it) and advertises nothing, and no router forwards a
 * port. Reaching a home by its node id (relayed, then hole punched): {@link HolePunchLabTest};
 * through a second relay once P is gone: {@link RelayFailoverTest}.
 */
@Tag("natlab")
class HomesTest {
    private static final Duration FULL_NODE_WITHIN = Duration.ofSeconds(30);

    @Test
    void threeHomesBehindTheirOwnNatsAreFullNodesThroughOnePublicPeer() throws Exception {
        HomesTopology.run((lab, t, nodes) -> {
            LabNode p = t.p();
            LabNode nodeA = t.nodeA();
            LabNode nodeB = t.nodeB();
            LabNode nodeC = t.nodeC();
            List<LabNode> homes = t.homes();
            Instant homesUp = t.homesUp();

            await("every home has P's head").atMost(FULL_NODE_WITHIN).pollInterval(Duration.ofMillis(250))
                    .until(() -> homes.stream().allMatch(h -> h.bestHash().equals(p.bestHash())));
            String fromA = nodeA.submitName("from-a", t.wallet());
            await("the transaction sent at A reaches B and C").atMost(Budgets.remaining(homesUp, FULL_NODE_WITHIN))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> nodeB.knowsTransaction(fromA) && nodeC.knowsTransaction(fromA));
            System.out.printf("natlab: three homes full nodes (synced, A's transaction at B and C) %d ms after the last RPC%n",
                    Duration.between(homesUp, Instant.now()).toMillis());

            // With one peer there is one dial-back server: too few to call a verdict (two distinct
            // confirmations are needed), but nothing the homes could advertise verifies either.
            for (LabNode home : homes) {
                assertThat(home.reachability()).as(home.name + "'s reachability").isNotEqualTo("public");
                assertThat(home.networkInfo().path("externaladdresses")).as(home.name + " advertises nothing").isEmpty();
            }
            for (NatLab.Home h : t.homeNetworks()) {
                assertThat(h.router().portForwards()).as("no port forwards on " + h.routerNetns()).isEmpty();
            }
        });
    }
}
