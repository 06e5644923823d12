package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.transport.PeerAddress;

class ExternalAddressVotesTest {
    private static final PeerAddress PUBLIC_PEER = PeerAddress.tcp("8.8.4.4", 8125);
    private static final Optional<PeerAddress> SAYS_EVIL = Optional.of(PeerAddress.tcp("6.6.6.6", 40000));

    private static NodeId id(int n) {
        return new NodeId(String.format("%064x", n));
    }

    @Test
    void theMostVotedHostWinsAndEachVoterCountsOnce() {
        ExternalAddressVotes votes = new ExternalAddressVotes();
        assertThat(votes.winner()).isEmpty();
        votes.vote(id(1), "1.1.1.1");
        votes.vote(id(2), "1.1.1.1");
        votes.vote(id(3), "2.2.2.2");
        assertThat(votes.winner()).contains("1.1.1.1");
        for (int i = 0; i < 5; i++) {
            votes.vote(id(3), "2.2.2.2"); // one peer repeating itself is still one vote
        }
        assertThat(votes.winner()).contains("1.1.1.1");
        votes.vote(id(4), "2.2.2.2");
        assertThat(votes.winner()).contains("2.2.2.2"); // a tie: the most recent
    }

    @Test
    void votersAreBounded() {
        ExternalAddressVotes votes = new ExternalAddressVotes();
        for (int i = 0; i < 1000; i++) {
            votes.vote(id(i), "9.9.9." + (i % 200));
        }
        assertThat(votes.voters()).isEqualTo(ExternalAddressVotes.MAX_VOTERS);
    }

    @Test
    void aPublicInboundPeersYouAreIsNeverOfferedOnlyTheOutboundVote() {
        assertThat(ExternalAddressVotes.hostFor(Direction.INBOUND, PUBLIC_PEER, SAYS_EVIL, Optional.empty())).isEmpty();
        assertThat(ExternalAddressVotes.hostFor(Direction.INBOUND, PUBLIC_PEER, SAYS_EVIL, Optional.of("1.1.1.1")))
                .contains("1.1.1.1");
        // a peer we dialed tells us how it sees us
        assertThat(ExternalAddressVotes.hostFor(Direction.OUTBOUND, PUBLIC_PEER, Optional.of(PeerAddress.tcp("5.5.5.5", 1)),
                Optional.of("1.1.1.1"))).contains("5.5.5.5");
        // a LAN peer may tell us our LAN address (it can only mislead itself), not a public one
        PeerAddress lanPeer = PeerAddress.tcp("192.168.1.9", 8125);
        assertThat(ExternalAddressVotes.hostFor(Direction.INBOUND, lanPeer, Optional.of(PeerAddress.tcp("192.168.1.2", 1)),
                Optional.empty())).contains("192.168.1.2");
        assertThat(ExternalAddressVotes.hostFor(Direction.INBOUND, lanPeer, SAYS_EVIL, Optional.empty())).isEmpty();
    }
}
