package org.protoblock.node.sp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes each outbound message as its length prefix followed by the payload itself, uncopied: a
 * block published to many subscribers stays one buffer in memory.
 *
 * <p>Threads: stateless, shared.
 */
@ChannelHandler.Sharable
public final class SpFrameEncoder extends MessageToMessageEncoder<ByteBuf> {
    private final SpFraming framing;

    public SpFrameEncoder(SpFraming framing) {
        super(ByteBuf.class);
        this.framing = framing;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
        out.add(framing.prefix(ctx.alloc(), msg.readableBytes()));
        out.add(msg.retain());
    }
}
