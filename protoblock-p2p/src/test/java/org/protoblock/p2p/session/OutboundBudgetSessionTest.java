package org.protoblock.p2p.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.GetTxs;

/** A session under a spent node-wide {@link OutboundBudget}: sends refused, the peer not blamed. */
class OutboundBudgetSessionTest {
    private static final long BUDGET = 1 << 20;

    private final EmbeddedChannel ch = EmbeddedSessions.channel();
    private final OutboundBudget budget = new OutboundBudget(BUDGET, List::of);
    private final Session session = EmbeddedSessions.session(ch, SessionLimits.DEFAULT, budget);

    @Test
    void aSpentBudgetRefusesSendsAndLeavesTheRequesterConnected() {
        assertThat(budget.tryReserve(BUDGET)).isTrue(); // other sessions' bytes fill it
        assertThat(session.send(EmbeddedSessions.txs("gossip"))).isFalse();
        Envelope request = Envelope.newBuilder().setGetTxs(GetTxs.newBuilder()).setRequestId(7).build();
        session.respond(request, EmbeddedSessions.txs("answer"));
        ch.runPendingTasks();
        assertThat(ch.isOpen()).as("not this peer's doing: no SLOW_READER").isTrue();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(session.queuedBytes()).isZero();

        budget.release(BUDGET);
        assertThat(session.send(EmbeddedSessions.txs("gossip"))).isTrue();
        ch.runPendingTasks();
        assertThat((Object) ch.readOutbound()).isNotNull();
        assertThat(budget.usedBytes()).as("released once written").isZero();
    }
}
