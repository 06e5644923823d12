package org.protoblock.p2p.holepunch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.HolePunchConnect;

class PunchAddressesTest {
    private static HolePunchConnect of(String... addresses) {
        return HolePunchConnect.newBuilder().addAllAddresses(List.of(addresses)).build();
    }

    @Test
    void whatIsEncodedDecodesToTheSameAddressesInOrderWithoutDuplicates() throws Exception {
        List<PeerAddress> ours = List.of(PeerAddress.tcp("10.99.0.12", 8125), PeerAddress.tcp("10.99.0.12", 40123),
                PeerAddress.tcp("2001:db8::7", 8125), PeerAddress.tcp("10.99.0.12", 8125));
        Envelope wire = Envelope.parseFrom(PunchAddresses.connect(ours).toByteArray());
        PunchAddresses.Decoded decoded = PunchAddresses.decode(wire.getHolePunchConnect(), false);
        assertThat(decoded.malformed()).isEmpty();
        assertThat(decoded.addresses()).containsExactly(ours.get(0), ours.get(1), ours.get(2));
    }

    @Test
    void encodingKeepsAtMostTheBound() {
        List<PeerAddress> many = IntStream.range(1, 20).mapToObj(i -> PeerAddress.tcp("10.0.0." + i, 8125)).toList();
        assertThat(PunchAddresses.connect(many).getHolePunchConnect().getAddressesCount()).isEqualTo(PunchAddresses.MAX_ADDRESSES);
    }

    @Test
    void anEmptyConnectIsWellFormedAndOffersNothing() {
        PunchAddresses.Decoded decoded = PunchAddresses.decode(of(), false);
        assertThat(decoded.malformed()).isEmpty();
        assertThat(decoded.addresses()).isEmpty();
    }

    @Test
    void eachRuleMakesTheWholeMessageMalformed() {
        String nine = String.join(",", Collections.nCopies(PunchAddresses.MAX_ADDRESSES + 1, "tcp://10.0.0.1:8125"));
        assertThat(PunchAddresses.decode(of(nine.split(",")), false).malformed()).hasValueSatisfying(r -> assertThat(r).contains("at most 8"));
        String longHost = "tcp://" + "1".repeat(60) + ":1";
        assertThat(PunchAddresses.decode(of("tcp://10.0.0.1:8125", longHost), false).malformed())
                .hasValueSatisfying(r -> assertThat(r).contains("characters"));
        for (String bad : List.of("tcp://node.example:8125", "local://x", "tcp://10.0.0.1", "tcp://10.0.0.1:0", "tcp://0.0.0.0:8125",
                "tcp://224.0.0.1:8125", "tcp://10.0.0.1:99999", "garbage", "tcp://10.0.0.1:8125\u0000")) {
            PunchAddresses.Decoded decoded = PunchAddresses.decode(of("tcp://10.0.0.2:8125", bad), false);
            assertThat(decoded.malformed()).as(bad).isPresent();
            assertThat(decoded.addresses()).as(bad).isEmpty();
        }
    }

    @Test
    void loopbackOnlyWhenAllowed() {
        assertThat(PunchAddresses.decode(of("tcp://127.0.0.1:8125"), false).malformed()).isPresent();
        assertThat(PunchAddresses.decode(of("tcp://[::1]:8125"), false).malformed()).isPresent();
        assertThat(PunchAddresses.decode(of("tcp://127.0.0.1:8125"), true).addresses())
                .containsExactly(PeerAddress.tcp("127.0.0.1", 8125));
    }
}
