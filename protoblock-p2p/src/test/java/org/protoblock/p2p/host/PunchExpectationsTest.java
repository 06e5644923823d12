package org.protoblock.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.transport.PeerAddress;

class PunchExpectationsTest {
    private final PunchExpectations expectations = new PunchExpectations();
    private final NodeId peer = NodeKey.generate().nodeId();
    private final PeerAddress at = PeerAddress.tcp("10.99.0.12", 8125);

    @Test
    void aLinkFromAnExpectedAddressGetsThePunchRoleAndCountsAsArrived() {
        PunchExpectations.Registration r = expectations.expect(peer, List.of(at), Direction.OUTBOUND);
        assertThat(expectations.arrivedFrom(PeerAddress.tcp("10.99.0.12", 40000))).isEmpty();
        PunchExpectations.Expected e = expectations.arrivedFrom(at).orElseThrow();
        assertThat(e.peer()).isEqualTo(peer);
        assertThat(e.role()).isEqualTo(Direction.OUTBOUND);
        assertThat(r.arrived()).isEqualTo(1);
    }

    @Test
    void closingARegistrationRemovesOnlyWhatItRegistered() {
        PunchExpectations.Registration first = expectations.expect(peer, List.of(at), Direction.INBOUND);
        NodeId other = NodeKey.generate().nodeId();
        PunchExpectations.Registration later = expectations.expect(other, List.of(at), Direction.OUTBOUND); // the later punch keeps it
        first.close();
        assertThat(expectations.arrivedFrom(at).orElseThrow().peer()).isEqualTo(other);
        later.close();
        assertThat(expectations.arrivedFrom(at)).isEmpty();
        assertThat(expectations.size()).isZero();
    }

    @Test
    void atMostTheBoundOfAddressesIsExpected() {
        List<PeerAddress> many = IntStream.range(0, PunchExpectations.MAX_ADDRESSES + 10)
                .mapToObj(i -> PeerAddress.tcp("10.0." + (i / 250) + "." + (i % 250), 8125)).toList();
        PunchExpectations.Registration r = expectations.expect(peer, many, Direction.INBOUND);
        assertThat(expectations.size()).isEqualTo(PunchExpectations.MAX_ADDRESSES);
        r.close();
        assertThat(expectations.size()).isZero();
    }
}
