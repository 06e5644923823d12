package org.protoblock.p2p.link;

/** Fails futures (dials, requests) whose link closed before they completed. */
public final class LinkClosedException extends RuntimeException {
    private final LinkClosed closed;

    public LinkClosedException(LinkClosed closed) {
        super(closed.toString(), null, false, false);
        this.closed = closed;
    }

    public LinkClosed closed() {
        return closed;
    }

    public DisconnectReason reason() {
        return closed.reason();
    }
}
