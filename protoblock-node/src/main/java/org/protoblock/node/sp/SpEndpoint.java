package org.protoblock.node.sp;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.util.function.Supplier;

/**
 * One SP socket the node offers (the seed's REP, a PUB topic, the submit REP), independent of
 * transport: its protocol, the largest message it accepts, and the handler that speaks it on a
 * connection.
 *
 * @param handler a new handler per connection
 */
public record SpEndpoint(String name, SpProtocol protocol, int maxMessageBytes, Supplier<ChannelHandler> handler) {

    public static SpEndpoint rep(String name, SpService service, HostRateLimiter limiter, int maxRequestBytes) {
        // room for a backtrace of MAX_HOPS words in front of the largest request
        return new SpEndpoint(name, SpProtocol.REP, maxRequestBytes + SpRequest.MAX_HOPS * Integer.BYTES,
                () -> new SpRepHandler(service, limiter));
    }

    /** A subscriber sends nothing; a small bound keeps a confused client from buffering much. */
    public static SpEndpoint pub(SpPublisher publisher) {
        return new SpEndpoint(publisher.topic(), SpProtocol.PUB, 1024, () -> new SpPubHandler(publisher));
    }

    /**
     * Rationale: a burst of transactions fanned out to many subscribers would otherwise cost one
     * write syscall per message per subscriber; consolidated, a subscriber's queued messages go out
     * in one flush.
     */
    private static FlushConsolidationHandler flushConsolidation() {
        return new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true);
    }

    /** Installs the stream transport (tcp:// or ipc://) pipeline: header exchange, framing, protocol, errors. */
    public void initStream(ChannelPipeline pipeline, SpFraming framing) {
        pipeline.addLast("sp-flush", flushConsolidation())
                .addLast("sp-handshake", new SpHandshakeHandler(protocol))
                .addLast("sp-frames", new SpFrameDecoder(framing, maxMessageBytes))
                .addLast("sp-prefix", new SpFrameEncoder(framing))
                .addLast("sp-" + protocol.name().toLowerCase(), handler.get())
                .addLast("sp-errors", SpErrorHandler.INSTANCE);
    }

    /**
     * Installs the ws:// transport after a completed WebSocket upgrade (the handshake is HTTP's, so
     * PUB joins its topic at once).
     */
    public void initWebSocket(ChannelPipeline pipeline) {
        pipeline.addFirst("sp-flush", flushConsolidation());
        pipeline.addLast("sp-ws", SpWebSocketCodec.INSTANCE)
                .addLast("sp-" + protocol.name().toLowerCase(), handler.get())
                .addLast("sp-errors", SpErrorHandler.INSTANCE);
        pipeline.fireUserEventTriggered(SpHandshakeHandler.COMPLETED);
    }
}
