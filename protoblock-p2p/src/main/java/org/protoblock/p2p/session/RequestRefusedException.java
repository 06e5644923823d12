package org.protoblock.p2p.session;

/**
 * A request or message was not sent: too many requests in flight, or the peer's outbound queue is
 * full. Nothing reached the peer; the caller may retry later or elsewhere.
 */
public final class RequestRefusedException extends RuntimeException {
    public RequestRefusedException(String message) {
        super(message, null, false, false);
    }
}
