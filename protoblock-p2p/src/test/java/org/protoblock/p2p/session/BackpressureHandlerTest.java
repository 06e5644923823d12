package org.protoblock.p2p.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkAttributes;
import org.protoblock.p2p.link.LinkClosed;
import org.protoblock.p2p.link.LinkCloser;

class BackpressureHandlerTest {
    private static final Duration SLOW_READER = Duration.ofSeconds(30);
    private final EmbeddedChannel ch = EmbeddedSessions.channel();

    BackpressureHandlerTest() {
        EmbeddedSessions.add(ch, new BackpressureHandler(SLOW_READER));
    }

    /** Turns the channel (un)writable, as a full or drained transport buffer would. */
    private void writable(boolean writable) {
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
        ch.runPendingTasks();
    }

    private void advance(Duration d) {
        ch.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void pausesReadingWhileUnwritableAndResumesWhenDrained() {
        writable(false);
        assertThat(ch.config().isAutoRead()).isFalse();
        advance(SLOW_READER.minusMillis(1));
        writable(true);
        assertThat(ch.config().isAutoRead()).isTrue();
        advance(SLOW_READER);
        assertThat(ch.isOpen()).isTrue(); // the slow-reader timer went with the pause
    }

    @Test
    void aPeerThatStaysUnwritableIsDisconnectedAsSlowReader() {
        writable(false);
        advance(SLOW_READER.minusMillis(1));
        assertThat(ch.isOpen()).isTrue();
        advance(Duration.ofMillis(1));
        assertThat(ch.isOpen()).isFalse();
        LinkClosed closed = LinkCloser.closedReason(ch);
        assertThat(closed.reason()).isEqualTo(DisconnectReason.SLOW_READER);
        assertThat(closed.byUs()).isTrue();
    }

    @Test
    void eachPauseGetsTheFullTimeout() {
        writable(false);
        advance(SLOW_READER.minusSeconds(1));
        writable(true);
        writable(false);
        advance(SLOW_READER.minusSeconds(1));
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void inputIsDroppedOnceTheLinkIsClosing() {
        ch.writeInbound(EmbeddedSessions.txs("before"));
        ch.attr(LinkAttributes.CLOSED).set(new LinkClosed(DisconnectReason.REQUESTED, true, "test"));
        ch.writeInbound(EmbeddedSessions.txs("after"));
        assertThat(ch.inboundMessages()).containsExactly(EmbeddedSessions.txs("before"));
    }
}
