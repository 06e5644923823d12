package org.protoblock.p2p.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.protoblock.p2p.transport.PortSharing;
import org.protoblock.p2p.transport.PrefixDetector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's side of circuits, on its P2P port ({@link PortSharing}): a connection whose first
 * bytes are {@link CircuitPreamble#MAGIC} and a token the relay service {@link #expect}s is one end
 * of a circuit; once both ends arrived they are spliced ({@link Splice}). Anything else goes on to
 * the P2P stack (or the next sharing protocol) with every byte it sent.
 *
 * <p>Rules: a token is good for one circuit, for {@code pendingTimeout} from {@link #expect} (also
 * the longest the first end waits for the second); a wrong or unknown token closes the connection.
 * At most {@value #MAX_UNDECIDED} connections undecided at a time (more go straight on); one
 * undecided longer than {@code pendingTimeout} is closed. Tokens are bounded by the relay's circuit
 * limit (the service expects one per circuit slot it took).
 *
 * <p>Threads: tokens in a concurrent map; each connection's state on its event loop; a pairing is
 * decided under the token's entry (ConcurrentHashMap.compute).
 */
public final class CircuitSwitch implements PortSharing {
    public static final int MAX_UNDECIDED = 256;
    private static final Logger log = LoggerFactory.getLogger(CircuitSwitch.class);
    private static final HexFormat HEX = HexFormat.of();

    /** A circuit's outcome, for the relay's books: called once per {@link #expect}ed token. */
    @FunctionalInterface
    public interface CircuitEnd {
        /** @param spliced whether both ends arrived; {@code bytes} relayed in both directions */
        void ended(boolean spliced, long bytes);
    }

    private final Duration pendingTimeout;
    private final Splice.Counter relayed = new Splice.Counter();
    private final java.util.concurrent.atomic.AtomicLong spliced = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger undecided = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();

    /** One expected circuit: its budget, its first end once arrived. */
    private static final class Pending {
        final CircuitBudget budget;
        final CircuitEnd end;
        Channel first;

        Pending(CircuitBudget budget, CircuitEnd end) {
            this.budget = budget;
            this.end = end;
        }
    }

    /** {@code pendingTimeout}: how long a connection may stay undecided (sending no full preamble). */
    public CircuitSwitch(Duration pendingTimeout) {
        this.pendingTimeout = pendingTimeout;
    }

    /**
     * Accepts the two ends of one circuit presenting {@code token}, until {@link #expire}; {@code end}
     * hears how it ended, once. The caller expires every token after the pending timeout.
     */
    public void expect(byte[] token, CircuitBudget budget, CircuitEnd end) {
        if (pending.putIfAbsent(HEX.formatHex(token), new Pending(budget, end)) != null) {
            throw new IllegalStateException("token issued twice"); // 256 random bits
        }
    }

    /** Tokens expected and not yet spliced or expired. */
    public int pendingCircuits() {
        return pending.size();
    }

    /** Circuits spliced and not yet closed. */
    public int openCircuits() {
        return open.get();
    }

    /** Circuits spliced since start. */
    public long circuitsSpliced() {
        return spliced.get();
    }

    /** Bytes relayed over all circuits since start (both directions). */
    public long bytesRelayed() {
        return relayed.total();
    }

    /** Ends {@code token}'s wait: a lone first end is closed; a spliced circuit is not affected. */
    public void expire(byte[] token) {
        Pending p = pending.remove(HEX.formatHex(token));
        if (p != null) {
            if (p.first != null) {
                log.debug("Circuit: the second end never came; closing {}", p.first.remoteAddress());
                p.first.close();
            }
            p.end.ended(false, 0);
        }
    }

    @Override
    public ChannelHandler inbound(ChannelInitializer<Channel> next) {
        return initializer(next);
    }

    /** As {@link #inbound}, typed for composing with another {@link PortSharing} that wraps this one. */
    public ChannelInitializer<Channel> initializer(ChannelInitializer<Channel> next) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (undecided.incrementAndGet() > MAX_UNDECIDED) {
                    undecided.decrementAndGet();
                    ch.pipeline().addLast(next);
                    return;
                }
                ch.pipeline().addLast(new Detector(next));
            }
        };
    }

    /** Two ends arrived: splice them, count the circuit while both are open. */
    private void splice(Pending p, Channel a, Channel b) {
        open.incrementAndGet();
        spliced.incrementAndGet();
        Splice.Counter counter = new Splice.Counter();
        Splice.join(a, b, p.budget, counter, relayed);
        a.closeFuture().addListener(f -> b.closeFuture().addListener(g -> {
            open.decrementAndGet();
            p.end.ended(true, counter.total());
        }));
        log.debug("Circuit spliced: {} <-> {}", a.remoteAddress(), b.remoteAddress());
    }

    /** Looks at a connection's first bytes, then leaves it to a circuit or to the next protocol. */
    private final class Detector extends PrefixDetector {
        private final ChannelInitializer<Channel> next;

        Detector(ChannelInitializer<Channel> next) {
            super(CircuitPreamble.MAGIC, CircuitPreamble.SIZE, pendingTimeout, undecided);
            this.next = next;
        }

        @Override
        protected void other(ChannelHandlerContext ctx) {
            ctx.pipeline().addLast(next);
        }

        @Override
        protected void matched(ChannelHandlerContext ctx, ByteBuf in) {
            in.skipBytes(CircuitPreamble.MAGIC.length);
            String key = HEX.formatHex(ByteBufUtil.getBytes(in, in.readerIndex(), CircuitPreamble.TOKEN_BYTES));
            in.skipBytes(CircuitPreamble.TOKEN_BYTES);
            Channel ch = ctx.channel();
            ch.config().setAutoRead(false); // until spliced; bytes already read wait in the splice handler
            ctx.pipeline().addLast(Splice.NAME, new Splice()); // gets what followed the preamble when we leave
            Pending[] paired = new Pending[1];
            Channel[] first = new Channel[1];
            boolean known = pending.computeIfPresent(key, (k, p) -> {
                if (p.first == null) {
                    p.first = ch;
                    return p;
                }
                first[0] = p.first;
                paired[0] = p;
                return null;
            }) != null || paired[0] != null;
            if (!known) {
                log.debug("Circuit: unknown token from {}", ch.remoteAddress());
                ch.close();
            } else if (paired[0] != null) {
                splice(paired[0], first[0], ch);
            }
        }
    }
}
