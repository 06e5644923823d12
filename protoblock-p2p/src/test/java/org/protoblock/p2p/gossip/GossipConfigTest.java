package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GossipConfigTest {
    @Test
    void slowedByStretchesEveryTimerAndNothingElse() {
        GossipConfig base = GossipConfig.defaults();
        GossipConfig slow = base.slowedBy(20);

        assertThat(slow.announceInterval()).isEqualTo(base.announceInterval().multipliedBy(20));
        assertThat(slow.txRequestTimeout()).isEqualTo(Duration.ofSeconds(40));
        assertThat(slow.blockRequestTimeout()).isEqualTo(base.blockRequestTimeout().multipliedBy(20));
        assertThat(slow.shortIdMaxWait()).isEqualTo(base.shortIdMaxWait().multipliedBy(20));
        // The bounds stay: only time is scaled.
        assertThat(slow.perPeerIds()).isEqualTo(base.perPeerIds());
        assertThat(slow.maxTxsPerRequest()).isEqualTo(base.maxTxsPerRequest());
        assertThat(base.slowedBy(1)).isEqualTo(base);
    }

    @Test
    void aScaleBelowOneIsRefused() {
        assertThatThrownBy(() -> GossipConfig.defaults().slowedBy(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
