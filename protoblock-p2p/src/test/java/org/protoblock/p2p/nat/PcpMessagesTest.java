package org.protoblock.p2p.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.protoblock.p2p.nat.Captured.bytes;
import static org.protoblock.p2p.nat.Captured.hex;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PcpMessagesTest {
    private static final byte[] NONCE = hex("0102030405060708090a0b0c");

    @Test
    void mapRequestMatchesTheRfc6887Layout() throws Exception {
        byte[] request = PcpMessages.mapRequest(InetAddress.getByName("192.168.77.10"), NONCE, 8125, 2400);
        assertThat(request).isEqualTo(hex("""
                02 01 0000  # version 2, R=0 opcode MAP, reserved
                00000960  # lifetime 2400
                00000000000000000000ffff c0a84d0a  # client ::ffff:192.168.77.10
                0102030405060708090a0b0c  # nonce
                06 000000  # protocol TCP, reserved
                1fbd 1fbd  # internal 8125, suggested external 8125
                00000000000000000000ffff 00000000  # suggested external ::ffff:0.0.0.0
                """));
        assertThat(request).hasSize(60);
    }

    @Test
    void deleteIsAMapRequestWithLifetimeZero() throws Exception {
        byte[] request = PcpMessages.mapRequest(InetAddress.getByName("192.168.77.10"), NONCE, 8125, 0);
        assertThat(request).startsWith(hex("02010000 00000000"));
    }

    @Test
    void decodesMiniupnpdMapReply() throws Exception {
        PcpMessages.MapReply reply = PcpMessages.decodeMapReply(bytes("pcp-map-reply.bin"));
        assertThat(reply.success()).isTrue();
        assertThat(reply.lifetimeSeconds()).isEqualTo(2400);
        assertThat(reply.nonce()).isEqualTo(NONCE);
        assertThat(reply.protocol()).isEqualTo(6);
        assertThat(reply.internalPort()).isEqualTo(8125);
        assertThat(reply.externalPort()).isEqualTo(8125);
        assertThat(reply.externalAddress()).isEqualTo(InetAddress.getByName("10.99.0.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pcp-map-renew-reply.bin", "pcp-map-zero-nonce-reply.bin"})
    void decodesOtherSuccessReplies(String name) throws Exception {
        PcpMessages.MapReply reply = PcpMessages.decodeMapReply(bytes(name));
        assertThat(reply.success()).isTrue();
        assertThat(reply.externalAddress().getHostAddress()).isEqualTo("10.99.0.1");
    }

    @Test
    void decodesDeleteReplies() throws Exception {
        PcpMessages.MapReply deleted = PcpMessages.decodeMapReply(bytes("pcp-delete-reply.bin"));
        assertThat(deleted.success()).isTrue();
        assertThat(deleted.lifetimeSeconds()).isZero();
        PcpMessages.MapReply gone = PcpMessages.decodeMapReply(bytes("pcp-delete-gone-reply.bin"));
        assertThat(PcpMessages.resultName(gone.resultCode())).isEqualTo("NO_RESOURCES");
        assertThat(gone.lifetimeSeconds()).isEqualTo(30);
    }

    @Test
    void unsupportedVersionFromAPcpServerIsTheFallbackSignal() {
        assertThatThrownBy(() -> PcpMessages.decodeMapReply(bytes("pcp-version3-reply.bin")))
                .isInstanceOfSatisfying(PortMapException.class, e -> assertThat(e.kind()).isEqualTo(PortMapException.Kind.UNSUPPORTED_VERSION));
    }

    @Test
    void versionZeroReplyFromANatPmpServerIsTheFallbackSignal() {
        // RFC 6886 §3.5: version 0, opcode 128+1, result 1 UNSUPPORTED_VERSION, epoch.
        assertThatThrownBy(() -> PcpMessages.decodeMapReply(hex("00 81 0001 000000c1")))
                .isInstanceOfSatisfying(PortMapException.class, e -> assertThat(e.kind()).isEqualTo(PortMapException.Kind.UNSUPPORTED_VERSION));
    }

    @Test
    void errorResultWithoutBodyIsARefusalByName() {
        assertThatThrownBy(() -> PcpMessages.decodeMapReply(hex("02 81 00 02 00000000 000000c1 000000000000000000000000")))
                .isInstanceOfSatisfying(PortMapException.class, e -> {
                    assertThat(e.kind()).isEqualTo(PortMapException.Kind.REFUSED);
                    assertThat(e.getMessage()).contains("NOT_AUTHORIZED");
                });
    }

    @Test
    void wrongOpcodeIsMalformed() {
        byte[] reply = bytes("pcp-map-reply.bin");
        reply[1] = 0x01; // a request, not a reply
        assertThatThrownBy(() -> PcpMessages.decodeMapReply(reply))
                .isInstanceOfSatisfying(PortMapException.class, e -> assertThat(e.kind()).isEqualTo(PortMapException.Kind.MALFORMED));
    }

    @Test
    void ipv4MappedAddressesRoundTrip() throws Exception {
        InetAddress address = InetAddress.getByName("10.99.0.1");
        assertThat(PcpMessages.sixteenBytes(address)).isEqualTo(hex("00000000000000000000ffff0a630001"));
        assertThat(PcpMessages.fromSixteenBytes(PcpMessages.sixteenBytes(address))).isEqualTo(address);
        InetAddress v6 = InetAddress.getByName("2001:db8::1");
        assertThat(PcpMessages.fromSixteenBytes(PcpMessages.sixteenBytes(v6))).isEqualTo(v6);
    }
}
