package org.protoblock.p2p.session;

import org.protoblock.p2p.link.PeerText;
import org.protoblock.p2p.wire.proto.ErrorResponse;

/** The peer answered a request with an {@code ErrorResponse}. */
public final class PeerErrorException extends RuntimeException {
    private final ErrorResponse.Code code;

    public PeerErrorException(ErrorResponse.Code code, String message) {
        super(code + ": " + PeerText.printable(message), null, false, false);
        this.code = code;
    }

    public ErrorResponse.Code code() {
        return code;
    }
}
