package org.protoblock.node.natlab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A home's router: an nftables NAT (cone or symmetric) and, when asked, miniupnpd as its gateway
 * daemon with the lab's own config (never the system's /etc/miniupnpd). Each {@link #configure}
 * starts from a fresh ruleset and lease file, so no mapping of an earlier scenario survives it.
 *
 * <p>Threads: the test thread only.
 */
final class Router implements AutoCloseable {
    static final Duration DAEMON_READY = Duration.ofSeconds(15);
    /** miniupnpd's chains (the nftables build's defaults, in table inet filter). */
    static final List<String> MINIUPNPD_CHAINS = List.of("miniupnpd", "prerouting_miniupnpd", "postrouting_miniupnpd");

    private final Netns netns;
    private final Path dir;
    /** The LAN it translates, as CIDR. */
    private final String lan;
    private int generation;
    private Optional<Daemon> miniupnpd = Optional.empty();

    Router(Netns netns, Path dir, String lan) {
        this.netns = netns;
        this.dir = dir;
        this.lan = lan;
    }

    /** Replaces the ruleset for {@code nat} and runs (or not) miniupnpd as {@code mode} says. */
    void configure(NatKind nat, GatewayMode mode) throws IOException {
        stopDaemon();
        generation++;
        Path rules = dir.resolve(file("router", ".nft"));
        Files.writeString(rules, ruleset(nat, mode, lan));
        netns.run("nft", "-f", rules.toString());
        if (mode.runsDaemon()) {
            Path conf = dir.resolve(file("miniupnpd", ".conf"));
            Files.writeString(conf, miniupnpdConfig(mode, dir.resolve(file("leases", "")), lan));
            Daemon daemon = Daemon.start("miniupnpd (" + mode + ")", netns, dir.resolve(file("miniupnpd", ".log")),
                    "miniupnpd", "-d", "-f", conf.toString(), "-P", dir.resolve(file("miniupnpd", ".pid")).toString());
            miniupnpd = Optional.of(daemon);
            daemon.awaitLog("Port forwarding is now enabled", DAEMON_READY);
        }
    }

    /** A file of this router's current configuration (several routers share the lab's directory). */
    private String file(String kind, String suffix) {
        return netns.name() + "-" + kind + "-" + generation + suffix;
    }

    /**
     * Forward policy drop but for what miniupnpd opens and replies; DNAT by miniupnpd's chains;
     * masquerade of the LAN; for NAT-PMP only, PCP requests dropped before miniupnpd sees them.
     * New TCP connections to the router's own WAN address (a SYN that no mapping or conntrack entry
     * forwards) are dropped, as home routers do, instead of the kernel's RST: an RST would abort the
     * first SYN of a hole punch, which must be lost in silence (and dial-backs to an unmapped port
     * time out instead of being refused at once).
     */
    static String ruleset(NatKind nat, GatewayMode mode, String lan) {
        return """
                flush ruleset
                table inet filter {
                  chain miniupnpd { }
                  chain prerouting_miniupnpd { }
                  chain postrouting_miniupnpd { }
                  chain input {
                    type filter hook input priority filter; policy accept;
                    %s
                    %s
                  }
                  chain forward {
                    type filter hook forward priority filter; policy drop;
                    iifname "wan0" jump miniupnpd
                    ct state established,related accept
                    iifname "lan0" oifname "wan0" accept
                  }
                  chain prerouting {
                    type nat hook prerouting priority dstnat; policy accept;
                    iifname "wan0" jump prerouting_miniupnpd
                  }
                  chain postrouting {
                    type nat hook postrouting priority srcnat; policy accept;
                    jump postrouting_miniupnpd
                    oifname "wan0" ip saddr %s %s
                  }
                }
                """.formatted(mode.dropPcp ? "udp dport 5351 @th,64,8 2 counter drop" : "",
                "iifname \"wan0\" meta l4proto tcp ct state new counter drop", lan, nat.rule);
    }

    static String miniupnpdConfig(GatewayMode mode, Path leaseFile, String lan) {
        return """
                ext_ifname=wan0
                listening_ip=lan0
                http_port=5000
                ipv6_disable=yes
                enable_upnp=%s
                enable_natpmp=%s
                secure_mode=yes
                system_uptime=no
                uuid=%s
                lease_file=%s
                ext_perform_stun=yes
                ext_stun_host=%s
                ext_stun_port=3478
                allow 1024-65535 %s 1024-65535
                deny 0-65535 0.0.0.0/0 0-65535
                """.formatted(yesNo(mode.upnp), yesNo(mode.natpmpAndPcp), UUID.randomUUID(), leaseFile, NatLab.PUB1, lan);
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    String ruleset() {
        return netns.run("nft", "list", "ruleset");
    }

    /** The rules miniupnpd added (port mappings: a DNAT rule and its forward pinhole). */
    List<String> mappingRules() {
        String all = MINIUPNPD_CHAINS.stream().map(c -> netns.run("nft", "list", "chain", "inet", "filter", c))
                .reduce("", String::concat);
        return all.lines().map(String::strip).filter(l -> l.contains("dnat") || l.contains("redirect") || l.contains("accept"))
                .toList();
    }

    /** Every DNAT or redirect rule in the router's whole ruleset (a port mapping somebody left). */
    List<String> portForwards() {
        return ruleset().lines().map(String::strip).filter(l -> l.contains("dnat") || l.contains("redirect")).toList();
    }

    /** Packets the NAT-PMP-only rule dropped (PCP requests), 0 when there is no such rule. */
    long droppedPcpRequests() {
        return ruleset().lines().filter(l -> l.contains("5351")).map(l -> l.replaceAll(".*counter packets (\\d+).*", "$1"))
                .filter(s -> s.matches("\\d+")).mapToLong(Long::parseLong).sum();
    }

    String daemonLog() {
        return miniupnpd.map(Daemon::log).orElse("(no gateway daemon)");
    }

    private void stopDaemon() {
        miniupnpd.ifPresent(Daemon::close);
        miniupnpd = Optional.empty();
    }

    @Override
    public void close() {
        stopDaemon();
    }
}
