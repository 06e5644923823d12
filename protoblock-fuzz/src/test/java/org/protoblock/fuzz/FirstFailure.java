package org.protoblock.fuzz;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Optional;

/**
 * Ends a fuzzed pipeline as the node's own guard does: the first exception closes the channel. It
 * is kept for the target's checks. Without it an {@code EmbeddedChannel} goes on decoding after a
 * failure and logs every later exception with its stack trace (gigabytes of stderr per hour at
 * fuzzing speed).
 */
public final class FirstFailure extends ChannelInboundHandlerAdapter {
    private Throwable first;

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (first == null) {
            first = cause;
        }
        ctx.close();
    }

    public Optional<Throwable> first() {
        return Optional.ofNullable(first);
    }
}
