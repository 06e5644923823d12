package org.protoblock.p2p.link;

/**
 * Expected peer misbehaviour or a failed link rule, raised inside a pipeline. {@link LinkGuard}
 * turns it into one log line and a close with {@link #reason()}; it never carries a stack trace.
 */
public final class LinkException extends RuntimeException {
    private final DisconnectReason reason;

    public LinkException(DisconnectReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public DisconnectReason reason() {
        return reason;
    }

    public String detail() {
        return getMessage();
    }
}
