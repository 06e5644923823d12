package org.protoblock.p2p.wire;

/** Sizes fixed by the wire format. */
public final class WireLimits {
    public static final int LENGTH_PREFIX_BYTES = 4;
    /** Default cap of one Envelope's protobuf bytes. */
    public static final int DEFAULT_MAX_ENVELOPE_BYTES = 4 * 1024 * 1024;
    /**
     * Cap of one Envelope before the peer's Hello is accepted: a Hello (bounded fields, at most 16
     * addresses) or a Disconnect fits many times over.
     */
    public static final int HANDSHAKE_MAX_ENVELOPE_BYTES = 16 * 1024;
    /** Hard ceiling for the configurable cap: keeps a decoder's buffer well inside an int. */
    public static final int CEILING_MAX_ENVELOPE_BYTES = 64 * 1024 * 1024;

    private WireLimits() {
    }

    static int checkMax(int max) {
        if (max < 1024 || max > CEILING_MAX_ENVELOPE_BYTES) {
            throw new IllegalArgumentException("max envelope bytes out of range [1 KiB, 64 MiB]: " + max);
        }
        return max;
    }

    /** Bytes an envelope of {@code serializedSize} takes on the wire before encryption. */
    public static int framedSize(int serializedSize) {
        return LENGTH_PREFIX_BYTES + serializedSize;
    }
}
