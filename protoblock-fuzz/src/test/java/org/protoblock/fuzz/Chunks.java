package org.protoblock.fuzz;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Cuts a byte stream into the pieces a socket might deliver: the cut points come from a seed the
 * fuzzer controls, so a finding replays exactly, and sizes range from single bytes to the whole
 * rest (a decoder must give the same answer however its input is split).
 */
public final class Chunks {
    private Chunks() {
    }

    public static List<byte[]> split(byte[] stream, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while (at < stream.length) {
            int rest = stream.length - at;
            int size = switch (random.nextInt(4)) {
                case 0 -> 1;
                case 1 -> 1 + random.nextInt(Math.min(rest, 16));
                case 2 -> 1 + random.nextInt(rest);
                default -> rest;
            };
            byte[] piece = new byte[size];
            System.arraycopy(stream, at, piece, 0, size);
            out.add(piece);
            at += size;
        }
        return out;
    }

    /**
     * Writes the pieces to {@code channel} one read at a time, stopping at the first exception the
     * pipeline raises or once the channel is closed; returns that exception, if any.
     */
    public static Throwable feed(EmbeddedChannel channel, List<byte[]> pieces) {
        for (byte[] piece : pieces) {
            if (!channel.isOpen()) {
                return null;
            }
            try {
                channel.writeInbound(Unpooled.wrappedBuffer(piece));
                channel.checkException();
            } catch (Throwable t) {
                return t;
            }
        }
        return null;
    }

    /**
     * Closes {@code channel} and releases what it holds; returns the exception the close raised, if
     * any (a decoder decodes what is left once more when the channel goes inactive).
     */
    public static Throwable finish(EmbeddedChannel channel) {
        try {
            channel.finishAndReleaseAll();
            return null;
        } catch (Throwable t) {
            channel.releaseInbound();
            channel.releaseOutbound();
            return t;
        }
    }
}
