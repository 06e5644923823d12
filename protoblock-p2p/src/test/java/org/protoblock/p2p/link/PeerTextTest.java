package org.protoblock.p2p.link;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PeerTextTest {

    @Test
    void printableTextIsKept() {
        assertThat(PeerText.printable("protoblock/0.1.0 (linux; ünïcode ✓)")).isEqualTo("protoblock/0.1.0 (linux; ünïcode ✓)");
    }

    @Test
    void controlAndFormatCharactersAreEscaped() {
        assertThat(PeerText.printable("a\nb\rc\td\u0000e\u001b[31mf\u007fg\u202eh\u2028i"))
                .isEqualTo("a\\nb\\rc\\td\\u0000e\\u001b[31mf\\u007fg\\u202eh\\u2028i");
    }

    @Test
    void aForgedLogLineStaysOnOneLine() {
        String forged = "bye\n12:00:00.000 INFO  [main] PeerHost - Node 1234 listening on 0.0.0.0:1";
        assertThat(PeerText.printable(forged)).doesNotContain("\n").startsWith("bye\\n12:00");
    }

    @Test
    void aPeersAgentIsDecodedEscaped() {
        var hello = org.protoblock.p2p.wire.proto.Hello.newBuilder()
                .setNetworkId("devnet")
                .setGenesisId(com.google.protobuf.ByteString.copyFrom(new byte[32]))
                .setHead(org.protoblock.p2p.wire.proto.ChainHead.newBuilder()
                        .setBlockId(com.google.protobuf.ByteString.copyFrom(new byte[32])))
                .setAgent("good/1.0\nWARN banned everyone\u001b[2J").build();
        assertThat(org.protoblock.p2p.handshake.HelloCodec.fromProto(hello).agent())
                .isEqualTo("good/1.0\\nWARN banned everyone\\u001b[2J");
    }

    @Test
    void aPeersDisconnectDetailIsRecordedEscaped() {
        assertThat(new LinkClosed(DisconnectReason.SHUTDOWN, false, "evil\r\nINFO fake").detail())
                .isEqualTo("evil\\r\\nINFO fake");
    }
}
