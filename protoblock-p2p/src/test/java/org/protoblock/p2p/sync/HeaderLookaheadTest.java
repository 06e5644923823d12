package org.protoblock.p2p.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.Hash256;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.Headers;

/** A look-ahead answer reaches its user once, whenever it arrives; a dropped one frees its peer once it is in. */
class HeaderLookaheadTest {
    private static final BlockId PARENT = BlockId.wrap(new byte[Hash256.BYTES]);
    private static final Envelope ANSWER = Envelope.newBuilder().setHeaders(Headers.getDefaultInstance()).build();
    private final AtomicInteger released = new AtomicInteger();
    private final List<Envelope> used = new ArrayList<>();

    private HeaderLookahead<String> lookahead() {
        return new HeaderLookahead<>("peer", PARENT, List.of(PARENT), released::incrementAndGet);
    }

    @Test
    void anAnswerThatArrivedFirstIsHandedOverWhenUsed() {
        HeaderLookahead<String> next = lookahead();
        next.complete(ANSWER, null);
        assertThat(used).isEmpty();
        next.use((r, e) -> used.add(r));
        assertThat(used).containsExactly(ANSWER);
        next.drop(); // too late: used
        assertThat(released).hasValue(0);
    }

    @Test
    void anAnswerThatArrivesLaterGoesToItsUser() {
        HeaderLookahead<String> next = lookahead();
        next.use((r, e) -> used.add(r));
        next.complete(ANSWER, null);
        assertThat(used).containsExactly(ANSWER);
        assertThatThrownBy(() -> next.use((r, e) -> used.add(r))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDroppedLookaheadReleasesItsPeerOnlyOnceTheAnswerIsIn() {
        HeaderLookahead<String> pending = lookahead();
        pending.drop();
        assertThat(released).hasValue(0); // still asked: not to be asked again yet
        pending.complete(ANSWER, null);
        assertThat(released).hasValue(1);
        assertThat(used).isEmpty();

        HeaderLookahead<String> answered = lookahead();
        answered.complete(null, new IllegalStateException("closed"));
        answered.drop();
        answered.drop();
        assertThat(released).hasValue(2);
    }
}
