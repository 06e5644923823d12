package org.protoblock.p2p.noise;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The Noise prologue {@code "protoblock/<version>\0<networkId>"}: binds the protocol and network
 * into the handshake hash, so a transcript from one network or protocol version cannot be replayed
 * as another.
 */
public record NoisePrologue(int protocolVersion, String networkId) {
    public static final String PROTOCOL = "protoblock";
    public static final int MAX_BYTES = 128;

    public NoisePrologue {
        if (protocolVersion < 0) {
            throw new IllegalArgumentException("negative protocol version");
        }
        if (networkId.indexOf('\0') >= 0 || toBytes(protocolVersion, networkId).length > MAX_BYTES) {
            throw new IllegalArgumentException("bad network id: " + networkId);
        }
    }

    public byte[] toBytes() {
        return toBytes(protocolVersion, networkId);
    }

    private static byte[] toBytes(int version, String networkId) {
        return (PROTOCOL + "/" + version + "\0" + networkId).getBytes(StandardCharsets.UTF_8);
    }

    /** Parses what {@link #toBytes()} produced; empty for anything else. */
    public static Optional<NoisePrologue> parse(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            return Optional.empty();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        int nul = text.indexOf('\0');
        String prefix = PROTOCOL + "/";
        if (nul < 0 || !text.startsWith(prefix)) {
            return Optional.empty();
        }
        try {
            int version = Integer.parseInt(text.substring(prefix.length(), nul));
            NoisePrologue p = new NoisePrologue(version, text.substring(nul + 1));
            return java.util.Arrays.equals(p.toBytes(), bytes) ? Optional.of(p) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
