package org.protoblock.p2p.nat;

/** Why a gateway gave no mapping; the kind decides whether the next protocol is tried. */
public final class PortMapException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong, from the mapper's point of view. */
    public enum Kind {
        /** Nothing answered within the try budget, or the port is closed (ICMP unreachable). */
        NO_ANSWER,
        /** The gateway speaks an older protocol version (PCP UNSUPP_VERSION): try NAT-PMP. */
        UNSUPPORTED_VERSION,
        /** The gateway answered with an error result. */
        REFUSED,
        /** The gateway's answer broke the protocol's format or rules. */
        MALFORMED,
        /** No gateway to ask (no default route, no IGD found). */
        NO_GATEWAY
    }

    private final Kind kind;

    public PortMapException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public PortMapException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static PortMapException malformed(String message) {
        return new PortMapException(Kind.MALFORMED, message);
    }
}
