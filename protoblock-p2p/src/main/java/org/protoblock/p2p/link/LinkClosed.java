package org.protoblock.p2p.link;

/** How a link ended: the reason, which side decided it, and a detail for logs (escaped: peers write it). */
public record LinkClosed(DisconnectReason reason, boolean byUs, String detail) {
    public static final int MAX_DETAIL = 200;

    public LinkClosed {
        detail = detail == null ? "" : detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
        detail = PeerText.printable(detail);
    }

    @Override
    public String toString() {
        return reason + (byUs ? " (by us" : " (by peer") + (detail.isEmpty() ? ")" : ": " + detail + ")");
    }
}
