package org.protoblock.p2p.relay;

/** A dial through a relay that the relay refused (no reservation, over its limits, target refused). */
public final class RelayDialException extends RuntimeException {
    public RelayDialException(String message) {
        super(message, null, false, false);
    }
}
