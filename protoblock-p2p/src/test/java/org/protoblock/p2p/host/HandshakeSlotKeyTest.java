package org.protoblock.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.protoblock.p2p.transport.PeerAddress;

class HandshakeSlotKeyTest {

    @Test
    void ipv4ByAddress() {
        assertThat(PeerHost.handshakeSlotKey(PeerAddress.tcp("203.0.113.7", 8125))).isEqualTo("203.0.113.7");
        assertThat(PeerHost.handshakeSlotKey(PeerAddress.tcp("203.0.113.8", 1)))
                .isNotEqualTo(PeerHost.handshakeSlotKey(PeerAddress.tcp("203.0.113.7", 1)));
    }

    @Test
    void ipv6ByItsSlash64() {
        String a = PeerHost.handshakeSlotKey(PeerAddress.tcp("2001:db8:1:2::1", 8125));
        String b = PeerHost.handshakeSlotKey(PeerAddress.tcp("2001:db8:1:2:ffff:ffff:ffff:ffff", 9));
        String other = PeerHost.handshakeSlotKey(PeerAddress.tcp("2001:db8:1:3::1", 8125));
        assertThat(a).isEqualTo(b).isEqualTo("20010db800010002::/64");
        assertThat(other).isNotEqualTo(a);
    }
}
