package org.protoblock.node.natlab;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A NAT lab in network namespaces, all its traffic between them (no link to the host's interfaces):
 * <pre>
 *                 inet: bridge br0, 10.99.0.0/24 (the "internet")
 *    ┌──────────────┬──────────────┬──────────────┬──────────────┐
 *   pub1           pub2           pub3           vis            rtr   wan0 10.99.0.1
 *   10.99.0.2      10.99.0.4      10.99.0.5      10.99.0.6       │    NAT (+ miniupnpd)
 *   10.99.0.3 (stund's second address)                           │    lan0 192.168.77.1
 *                                                               home  192.168.77.10, default route via rtr
 * </pre>
 * Every public host has a namespace of its own, so its outbound source address is its own. Public
 * hosts have no route into the home LAN. {@link #addHome} puts more homes on the bridge, each
 * behind a router of its own (WAN 10.99.0.11, .12, …; LAN 192.168.78.0/24, 79, …; the home at .10
 * of its LAN), with no gateway daemon: issue 12's homes A, B and C. Every router drops unsolicited
 * TCP to its WAN address (no RST, as home routers do; see {@link Router#ruleset}). stund runs in pub1 for the router's miniupnpd (which asks
 * STUN whether its outside is reachable before it maps anything).
 *
 * <p>Threads: the test thread only.
 */
final class NatLab implements AutoCloseable {
    static final String WAN = "10.99.0.1";
    static final String PUB1 = "10.99.0.2";
    static final String STUN_SECOND = "10.99.0.3";
    static final String PUB2 = "10.99.0.4";
    static final String PUB3 = "10.99.0.5";
    /** A public host whose node nobody knows: it dials home through the mapping, nothing dials it first. */
    static final String VISITOR = "10.99.0.6";
    static final String LAN = "192.168.77.0/24";
    static final String LAN_GATEWAY = "192.168.77.1";
    static final String HOME = "192.168.77.10";
    private static final Duration STUND_READY = Duration.ofSeconds(10);

    final String run;
    final Netns inet;
    final Netns pub1;
    final Netns pub2;
    final Netns pub3;
    final Netns visitor;
    final Netns router;
    final Netns home;
    private final Path dir;
    private final Router gateway;
    private final List<Home> homes = new ArrayList<>();
    private Daemon stund;

    /**
     * A home of {@link #addHome}: {@code host} at {@code address} behind {@code router}, whose
     * outside address is {@code wan}.
     */
    record Home(Netns host, Netns routerNetns, Router router, String wan, String address) {
    }

    private NatLab(String run) {
        this.run = run;
        this.dir = LabRuns.dir(run);
        this.inet = new Netns(run + "-inet");
        this.pub1 = new Netns(run + "-pub1");
        this.pub2 = new Netns(run + "-pub2");
        this.pub3 = new Netns(run + "-pub3");
        this.visitor = new Netns(run + "-vis");
        this.router = new Netns(run + "-rtr");
        this.home = new Netns(run + "-home");
        this.gateway = new Router(router, dir, LAN);
    }

    /** Builds the lab (after removing what dead runs left) with a cone NAT and no gateway daemon. */
    static NatLab create() throws IOException {
        LabRuns.removeDead();
        NatLab lab = new NatLab(LabRuns.claim());
        try {
            lab.build();
            return lab;
        } catch (RuntimeException | IOException e) {
            lab.close();
            throw e;
        }
    }

    private void build() throws IOException {
        for (Netns ns : List.of(inet, pub1, pub2, pub3, visitor, router, home)) {
            Command.run("ip", "netns", "add", ns.name());
            ns.ip("link", "set", "lo", "up");
        }
        inet.ip("link", "add", "br0", "type", "bridge");
        inet.ip("link", "set", "br0", "up");
        attach(pub1, "eth0", PUB1, STUN_SECOND);
        attach(pub2, "eth0", PUB2);
        attach(pub3, "eth0", PUB3);
        attach(visitor, "eth0", VISITOR);
        attach(router, "wan0", WAN);

        connectLan(router, home, LAN_GATEWAY, HOME);
        gateway.configure(NatKind.CONE, GatewayMode.NONE);

        // STUN on two addresses (it answers change-IP requests); miniupnpd exits when STUN fails.
        stund = Daemon.start("stund", pub1, dir.resolve("stund.log"), "stund", "-h", PUB1, "-a", STUN_SECOND);
        org.awaitility.Awaitility.await("stund listens").atMost(STUND_READY).pollInterval(Duration.ofMillis(50))
                .until(() -> !stund.isAlive() || pub1.run("ss", "-Hlun").contains(PUB1 + ":3478"));
        if (!stund.isAlive()) {
            throw new IllegalStateException("stund exited:\n" + stund.log());
        }
    }

    /** The router's lan0 and the home's eth0 on one /24, the home's default route through the router. */
    private static void connectLan(Netns router, Netns home, String gatewayAddress, String homeAddress) {
        router.ip("link", "add", "lan0", "type", "veth", "peer", "name", "eth0", "netns", home.name());
        router.ip("addr", "add", gatewayAddress + "/24", "dev", "lan0");
        router.ip("link", "set", "lan0", "up");
        home.ip("addr", "add", homeAddress + "/24", "dev", "eth0");
        home.ip("link", "set", "eth0", "up");
        home.ip("route", "add", "default", "via", gatewayAddress);
        router.sysctl("net.ipv4.ip_forward", "1");
    }

    /** One more home behind a router of its own translating as {@code nat}, without a gateway daemon. */
    Home addHome(NatKind nat) throws IOException {
        int n = homes.size() + 1;
        if (n > 9) {
            throw new IllegalStateException("the lab's address plan has room for 9 extra homes");
        }
        Netns routerNetns = new Netns(run + "-rtr" + n);
        Netns host = new Netns(run + "-home" + n);
        for (Netns ns : List.of(routerNetns, host)) {
            Command.run("ip", "netns", "add", ns.name());
            ns.ip("link", "set", "lo", "up");
        }
        String wan = "10.99.0." + (10 + n);
        String lanPrefix = "192.168." + (77 + n) + ".";
        attach(routerNetns, "wan0", wan);
        connectLan(routerNetns, host, lanPrefix + "1", lanPrefix + "10");
        Router router = new Router(routerNetns, dir, lanPrefix + "0/24");
        Home home = new Home(host, routerNetns, router, wan, lanPrefix + "10");
        homes.add(home);
        router.configure(nat, GatewayMode.NONE);
        return home;
    }

    /** A veth from the bridge to {@code ns}'s interface {@code ifname}, with addresses in 10.99.0.0/24. */
    private void attach(Netns ns, String ifname, String... addresses) {
        String bridgePort = "v-" + ns.name().substring(ns.name().lastIndexOf('-') + 1);
        inet.ip("link", "add", bridgePort, "type", "veth", "peer", "name", ifname, "netns", ns.name());
        inet.ip("link", "set", bridgePort, "master", "br0", "up");
        for (String a : addresses) {
            ns.ip("addr", "add", a + "/24", "dev", ifname);
        }
        ns.ip("link", "set", ifname, "up");
    }

    /** Switches the router's NAT and gateway daemon (a fresh ruleset: no mapping survives). */
    void configure(NatKind nat, GatewayMode mode) throws IOException {
        gateway.configure(nat, mode);
    }

    Router router() {
        return gateway;
    }

    /** This run's directory (configs, logs, node data), removed on close. */
    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        homes.forEach(h -> h.router().close());
        gateway.close();
        if (stund != null) {
            stund.close();
        }
        try {
            LabRuns.release(run);
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove lab " + run + ": " + e.getMessage(), e);
        }
    }
}
