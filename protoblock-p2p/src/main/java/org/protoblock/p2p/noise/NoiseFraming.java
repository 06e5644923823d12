package org.protoblock.p2p.noise;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;

/**
 * On the wire every Noise message carries a 2-byte big-endian length. A 2-byte length cannot exceed
 * the Noise maximum of 65535, so a partial frame never buffers more than 64 KiB.
 */
public final class NoiseFraming {
    public static final String DECODER = "noise-frame-decoder";
    public static final String ENCODER = "noise-frame-encoder";

    private NoiseFraming() {
    }

    /** Adds the frame codecs and the handshake handler (which later becomes the cipher handler). */
    public static void addTo(ChannelPipeline pipeline, NoiseHandshakeHandler handshake) {
        pipeline.addLast(DECODER, new LengthFieldBasedFrameDecoder(NoiseHandshake.MAX_MESSAGE + 2, 0, 2, 0, 2));
        pipeline.addLast(ENCODER, new LengthFieldPrepender(2));
        pipeline.addLast(NoiseHandshakeHandler.NAME, handshake);
    }
}
