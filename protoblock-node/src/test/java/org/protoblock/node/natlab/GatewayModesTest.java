package org.protoblock.node.natlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The lab itself, against the reference clients (miniupnpc's {@code upnpc}, libnatpmp's
 * {@code natpmpc}) run in the home namespace: each gateway mode offers what it says and nothing
 * else, a mapping becomes a DNAT rule on the router and its deletion removes it.
 */
@Tag("natlab")
class GatewayModesTest {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);
    private static NatLab lab;

    @BeforeAll
    static void buildLab() throws Exception {
        LabPrerequisites.require("upnpc", "miniupnpc", "natpmpc", "natpmpc");
        lab = NatLab.create();
    }

    @AfterAll
    static void removeLab() {
        if (lab != null) {
            lab.close();
            assertThat(LabRuns.runNamespaces(lab.run)).as("namespaces left").isEmpty();
            assertThat(LabRuns.dir(lab.run)).doesNotExist();
        }
    }

    @Test
    void pcpGatewayMapsAndUnmapsThroughNatPmpToo() throws Exception {
        lab.configure(NatKind.CONE, GatewayMode.PCP_ONLY);
        assertThat(gatewayPorts()).contains(":5351").doesNotContain(":5000");

        natpmpc("-a", "20001", "20001", "tcp", "60");
        assertThat(lab.router().portForwards()).anyMatch(r -> r.contains("dport 20001") && r.contains(NatLab.HOME + ":20001"));
        natpmpc("-a", "20001", "20001", "tcp", "0");
        assertThat(lab.router().portForwards()).isEmpty();
        assertThat(lab.router().mappingRules()).isEmpty();
    }

    @Test
    void natPmpOnlyGatewayNeverSeesPcpRequests() throws Exception {
        lab.configure(NatKind.CONE, GatewayMode.NATPMP_ONLY);
        natpmpc("-a", "20002", "20002", "tcp", "60");
        assertThat(lab.router().portForwards()).anyMatch(r -> r.contains(NatLab.HOME + ":20002"));

        // A PCP MAP header's first byte is its version, 2: the router drops it before miniupnpd.
        lab.home.run("bash", "-c", "printf '\\x02\\x01\\x00\\x00' > /dev/udp/" + NatLab.LAN_GATEWAY + "/5351");
        await("the PCP request is dropped").atMost(Duration.ofSeconds(5)).until(() -> lab.router().droppedPcpRequests() == 1);
        assertThat(lab.router().daemonLog()).doesNotContain("PCP request received");
    }

    @Test
    void upnpOnlyGatewayMapsByUpnpAndOffersNoNatPmp() throws Exception {
        lab.configure(NatKind.CONE, GatewayMode.UPNP_ONLY);
        assertThat(gatewayPorts()).contains(":5000").doesNotContain(":5351");

        // -i: accept the gateway's private outside address, as the node's mapper must.
        String out = lab.home.attempt(CLIENT_TIMEOUT, "upnpc", "-i", "-a", NatLab.HOME, "20003", "20003", "TCP").orThrow();
        assertThat(out).contains("is redirected to internal " + NatLab.HOME + ":20003");
        assertThat(lab.router().portForwards()).anyMatch(r -> r.contains(NatLab.HOME + ":20003"));
        lab.home.attempt(CLIENT_TIMEOUT, "upnpc", "-i", "-d", "20003", "TCP").orThrow();
        assertThat(lab.router().portForwards()).isEmpty();
    }

    @Test
    void noGatewayDaemonAndASymmetricNat() throws Exception {
        lab.configure(NatKind.SYMMETRIC, GatewayMode.NONE);
        assertThat(gatewayPorts()).doesNotContain(":5351").doesNotContain(":5000");
        assertThat(lab.router().ruleset()).contains("masquerade random");
        lab.configure(NatKind.CONE, GatewayMode.NONE);
        assertThat(lab.router().ruleset()).contains("masquerade").doesNotContain("random");
    }

    /** What listens in the router namespace (miniupnpd's UDP 5351 and HTTP 5000). */
    private static String gatewayPorts() {
        return lab.router.run("ss", "-Hlntu");
    }

    private static void natpmpc(String... args) {
        String[] argv = new String[args.length + 3];
        argv[0] = "natpmpc";
        argv[1] = "-g";
        argv[2] = NatLab.LAN_GATEWAY;
        System.arraycopy(args, 0, argv, 3, args.length);
        String out = lab.home.attempt(CLIENT_TIMEOUT, argv).orThrow();
        assertThat(out).as(String.join(" ", argv)).doesNotContain("FAILED");
    }
}
