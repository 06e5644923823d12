package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.identity.IdentityKey;
import org.protoblock.p2p.transport.PeerAddress;

class OwnRecordTest {
    private final AtomicLong millis = new AtomicLong(1_000_000);
    private final OwnRecord own = new OwnRecord(IdentityKey.generate(), millis::get);
    private final List<SignedRecord.Address> first = List.of(SignedRecord.Address.direct(PeerAddress.tcp("203.0.113.5", 1)));
    private final List<SignedRecord.Address> second = List.of(SignedRecord.Address.direct(PeerAddress.tcp("203.0.113.5", 2)));

    @Test
    void signsAgainOnlyWhenTheAddressesChangeWithAStrictlyHigherSequence() {
        SignedRecord a = own.with(first);
        assertThat(a.sequence()).isEqualTo(1_000_000);
        assertThat(a.verifies()).isTrue();
        millis.addAndGet(5);
        assertThat(own.with(first)).isSameAs(a);
        millis.set(10); // the clock stepped back
        SignedRecord b = own.with(second);
        assertThat(b.sequence()).isEqualTo(1_000_001);
        assertThat(b.verifies()).isTrue();
        assertThat(own.current()).contains(b);
    }

    @Test
    void verifiedAddressesAndHostOnlyListenersGoIn() {
        List<SignedRecord.Address> in = OwnRecord.addressesFor(List.of(PeerAddress.tcp("203.0.113.5", 9000)),
                List.of(PeerAddress.tcp("0.0.0.0", 9000), PeerAddress.tcp("127.0.0.1", 9001), PeerAddress.local("n1"),
                        PeerAddress.tcp("198.51.100.1", 9000)));
        assertThat(in).extracting(SignedRecord.Address::address).containsExactly(PeerAddress.tcp("203.0.113.5", 9000),
                PeerAddress.tcp("127.0.0.1", 9001), PeerAddress.local("n1"));
    }
}
