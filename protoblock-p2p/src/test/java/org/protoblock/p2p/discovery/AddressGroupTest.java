package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.protoblock.p2p.transport.PeerAddress;

class AddressGroupTest {
    private static AddressGroup g(String host, int port) {
        return AddressGroup.of(PeerAddress.tcp(host, port));
    }

    @Test
    void publicIpv4GroupsBySlash16() {
        assertThat(g("8.8.8.8", 1)).isEqualTo(g("8.8.4.4", 2)).isEqualTo(new AddressGroup("v4:8.8"));
        assertThat(g("8.9.8.8", 1)).isNotEqualTo(g("8.8.8.8", 1));
    }

    @Test
    void ipv6GroupsBySlash32() {
        assertThat(g("2001:db8:1::1", 1)).isEqualTo(g("2001:db8:ffff::2", 1)).isEqualTo(new AddressGroup("v6:2001:0db8"));
        assertThat(g("2001:db9::1", 1)).isNotEqualTo(g("2001:db8::1", 1));
    }

    @Test
    void defaultLoopbackIsOneGroupPerNodeOtherLoopbackSlash16sSimulateNetworks() {
        assertThat(g("127.0.0.1", 1000)).isNotEqualTo(g("127.0.0.1", 1001));
        assertThat(g("::1", 1000)).isNotEqualTo(g("::1", 1001));
        assertThat(g("127.1.0.1", 1000)).isEqualTo(g("127.1.9.9", 1001)).isEqualTo(new AddressGroup("v4:127.1"));
        assertThat(g("127.2.0.1", 1000)).isNotEqualTo(g("127.1.0.1", 1000));
    }

    @Test
    void lanHostsAreTheirOwnGroupsNamesAndLocalByName() {
        assertThat(g("192.168.1.7", 1)).isEqualTo(new AddressGroup("lan:192.168.1.7"));
        assertThat(g("10.0.0.1", 1)).isNotEqualTo(g("10.0.0.2", 1));
        assertThat(g("fe80::1", 1)).isEqualTo(new AddressGroup("lan:fe80::1"));
        assertThat(g("seed.example.org", 8125)).isEqualTo(new AddressGroup("name:seed.example.org"));
        assertThat(AddressGroup.of(PeerAddress.local("n1"))).isEqualTo(new AddressGroup("local:n1"));
    }

    @Test
    void rulesRejectNamesWildcardsMulticastAndOtherSchemes() {
        assertThat(AddressRules.acceptable(PeerAddress.tcp("1.2.3.4", 8125), "tcp")).isTrue();
        assertThat(AddressRules.acceptable(PeerAddress.tcp("example.org", 8125), "tcp")).isFalse();
        assertThat(AddressRules.acceptable(PeerAddress.tcp("0.0.0.0", 8125), "tcp")).isFalse();
        assertThat(AddressRules.acceptable(PeerAddress.tcp("239.1.1.1", 8125), "tcp")).isFalse();
        assertThat(AddressRules.acceptable(PeerAddress.tcp("1.2.3.4", 0), "tcp")).isFalse();
        assertThat(AddressRules.acceptable(PeerAddress.local("x"), "tcp")).isFalse();
        assertThat(AddressRules.resolveAnnounced(PeerAddress.tcp("0.0.0.0", 9000), PeerAddress.tcp("5.6.7.8", 41000), "tcp"))
                .contains(PeerAddress.tcp("5.6.7.8", 9000));
        assertThat(IpLiterals.ipv6("1::2::3")).isEmpty();
        assertThat(IpLiterals.ipv4("1.2.3.256")).isEmpty();
    }
}
