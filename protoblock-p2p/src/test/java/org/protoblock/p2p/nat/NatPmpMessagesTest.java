package org.protoblock.p2p.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.protoblock.p2p.nat.Captured.bytes;
import static org.protoblock.p2p.nat.Captured.hex;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NatPmpMessagesTest {
    @Test
    void requestsMatchTheRfc6886Layout() {
        assertThat(NatPmpMessages.externalAddressRequest()).isEqualTo(hex("00 00"));
        // version 0, opcode 2 (TCP), reserved, internal 8126, suggested external 8126, lifetime 2400
        assertThat(NatPmpMessages.mapRequest(8126, 8126, 2400)).isEqualTo(hex("00 02 0000 1fbe 1fbe 00000960"));
        // delete: external port 0 and lifetime 0
        assertThat(NatPmpMessages.mapRequest(8126, 0, 0)).isEqualTo(hex("00 02 0000 1fbe 0000 00000000"));
    }

    @Test
    void decodesMiniupnpdExternalAddressReply() throws Exception {
        NatPmpMessages.ExternalAddressReply reply = NatPmpMessages.decodeExternalAddressReply(bytes("natpmp-external-reply.bin"));
        assertThat(reply.resultCode()).isZero();
        assertThat(reply.epoch()).isEqualTo(193);
        assertThat(reply.address().getHostAddress()).isEqualTo("10.99.0.1");
    }

    @Test
    void decodesMiniupnpdMapAndDeleteReplies() throws Exception {
        NatPmpMessages.MapReply map = NatPmpMessages.decodeMapReply(bytes("natpmp-map-reply.bin"));
        assertThat(map).isEqualTo(new NatPmpMessages.MapReply(0, 193, 8126, 8126, 2400));
        NatPmpMessages.MapReply delete = NatPmpMessages.decodeMapReply(bytes("natpmp-delete-reply.bin"));
        assertThat(delete).isEqualTo(new NatPmpMessages.MapReply(0, 193, 8126, 0, 0));
    }

    @Test
    void shortErrorReplyIsARefusalByName() {
        assertThatThrownBy(() -> NatPmpMessages.decodeMapReply(hex("00 82 0002 000000c1")))
                .isInstanceOfSatisfying(PortMapException.class, e -> {
                    assertThat(e.kind()).isEqualTo(PortMapException.Kind.REFUSED);
                    assertThat(e.getMessage()).contains("NOT_AUTHORIZED");
                });
    }

    @Test
    void replyToTheOtherOpcodeIsMalformed() {
        assertThatThrownBy(() -> NatPmpMessages.decodeMapReply(bytes("natpmp-external-reply.bin")))
                .isInstanceOfSatisfying(PortMapException.class, e -> assertThat(e.kind()).isEqualTo(PortMapException.Kind.MALFORMED));
    }

    @Test
    void retransmitsFrom250MsDoublingWithinTheBudget() {
        assertThat(NatPmpClient.retransmitWaits(Duration.ofSeconds(3))).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500),
                Duration.ofMillis(1000), Duration.ofMillis(1250));
        assertThat(NatPmpClient.retransmitWaits(Duration.ofMillis(100))).containsExactly(Duration.ofMillis(100));
    }
}
