package org.protoblock.node.sp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;

/**
 * The ws:// transport of SP (nng's websocket transport): one message per binary frame, no SP
 * header and no length prefix (the frame has both). A text frame is not SP and fails the
 * connection.
 *
 * <p>Threads: stateless, shared.
 */
@ChannelHandler.Sharable
public final class SpWebSocketCodec extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {
    public static final SpWebSocketCodec INSTANCE = new SpWebSocketCodec();

    private SpWebSocketCodec() {
        super(WebSocketFrame.class, ByteBuf.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
        out.add(new BinaryWebSocketFrame(msg.retain()));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (!(frame instanceof BinaryWebSocketFrame)) {
            throw new CorruptedFrameException("SP over WebSocket takes binary frames, got " + frame.getClass().getSimpleName());
        }
        out.add(frame.content().retain());
    }
}
