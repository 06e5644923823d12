package org.protoblock.p2p.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InboundRequestsTest {
    @Test
    void fullTableRefusesUntilAnswersOrExpiry() {
        InboundRequests in = new InboundRequests(2, 1_000);
        assertThat(in.open(1, 0)).isEqualTo(InboundRequests.Outcome.OPENED);
        assertThat(in.open(1, 0)).isEqualTo(InboundRequests.Outcome.DUPLICATE);
        assertThat(in.open(2, 10)).isEqualTo(InboundRequests.Outcome.OPENED);
        assertThat(in.open(3, 20)).isEqualTo(InboundRequests.Outcome.FULL);
        assertThat(in.close(1)).isTrue();
        assertThat(in.close(1)).isFalse();
        assertThat(in.open(3, 30)).isEqualTo(InboundRequests.Outcome.OPENED);
        assertThat(in.open(4, 40)).isEqualTo(InboundRequests.Outcome.FULL);
        // Past the TTL the oldest entries are forgotten: the peer has given up on them.
        assertThat(in.open(4, 1_011)).isEqualTo(InboundRequests.Outcome.OPENED);
        assertThat(in.size()).isEqualTo(2);
        assertThat(in.close(2)).isFalse();
    }
}
