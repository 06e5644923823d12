package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.protoblock.p2p.transport.PeerAddress;

class AddressRulesTest {
    private static final PeerAddress PUBLIC_SOURCE = PeerAddress.tcp("8.8.4.4", 8125);

    @Test
    void aPublicPeerCannotPointUsAtLoopbackPrivateOrLinkLocalHosts() {
        for (String host : new String[] {"127.0.0.1", "127.5.0.1", "10.0.0.1", "172.16.3.4", "192.168.1.7",
                "169.254.1.1", "::1", "fd00::2", "fe80::1"}) {
            assertThat(AddressRules.acceptableFrom(PeerAddress.tcp(host, 9000), PUBLIC_SOURCE)).as(host).isFalse();
        }
        assertThat(AddressRules.acceptableFrom(PeerAddress.tcp("1.2.3.4", 9000), PUBLIC_SOURCE)).isTrue();
        assertThat(AddressRules.acceptableFrom(PeerAddress.tcp("2001:db8::1", 9000), PUBLIC_SOURCE)).isTrue();
    }

    @Test
    void aLanOrLoopbackPeerMayTellUsOfLanAndPublicHosts() {
        for (String source : new String[] {"127.0.0.1", "192.168.1.2", "10.9.9.9", "fe80::7", "::1"}) {
            PeerAddress from = PeerAddress.tcp(source, 8125);
            assertThat(AddressRules.acceptableFrom(PeerAddress.tcp("192.168.1.7", 9000), from)).as(source).isTrue();
            assertThat(AddressRules.acceptableFrom(PeerAddress.tcp("1.2.3.4", 9000), from)).as(source).isTrue();
        }
    }

    @Test
    void loopbackAddressesOnlyFromPeersOnLoopback() {
        for (String source : new String[] {"127.0.0.1", "127.3.0.1", "::1"}) {
            assertThat(AddressRules.acceptableFrom(PeerAddress.tcp("127.0.0.1", 9000), PeerAddress.tcp(source, 1))).as(source).isTrue();
        }
        for (String source : new String[] {"192.168.1.2", "10.9.9.9", "fe80::7"}) {
            assertThat(AddressRules.acceptableFrom(PeerAddress.tcp("127.0.0.1", 9000), PeerAddress.tcp(source, 1))).as(source).isFalse();
            assertThat(AddressRules.acceptableFrom(PeerAddress.tcp("::1", 9000), PeerAddress.tcp(source, 1))).as(source).isFalse();
        }
    }

    @Test
    void aRecordFromAPublicPeerYieldsItsFirstRoutableAddress() {
        var record = PeerRecords.toProto(org.protoblock.p2p.identity.NodeId.fromBytes(new byte[32]),
                java.util.List.of(PeerAddress.tcp("10.0.0.9", 1000), PeerAddress.tcp("5.6.7.8", 1001)),
                java.time.Instant.now(), true);
        assertThat(PeerRecords.fromProto(record, PeerAddress.TCP, a -> AddressRules.acceptableFrom(a, PUBLIC_SOURCE)))
                .map(PeerRecords.Learned::address).contains(PeerAddress.tcp("5.6.7.8", 1001));
    }

    /** Character.isDigit and Character.digit accept every script's digits: "١.٢.٣.٤" was a second spelling of 1.2.3.4. */
    @Test
    void onlyAsciiSpellingsAreIpLiterals() {
        for (String host : new String[] {"\u0661.\u0662.\u0663.\u0664", "\uff11.2.3.4", "2001:db8::\uff11", "\uff26e80::1"}) {
            assertThat(AddressRules.acceptable(PeerAddress.tcp(host, 9000), PeerAddress.TCP)).as(host).isFalse();
            assertThat(IpLiterals.toInetAddress(host)).as(host).isEmpty();
        }
        assertThat(AddressRules.acceptable(PeerAddress.tcp("1.2.3.4", 9000), PeerAddress.TCP)).isTrue();
        assertThat(AddressRules.acceptable(PeerAddress.tcp("2001:DB8::1", 9000), PeerAddress.TCP)).isTrue();
    }
}
