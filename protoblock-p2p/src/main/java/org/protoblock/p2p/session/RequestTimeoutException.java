package org.protoblock.p2p.session;

import java.util.concurrent.TimeoutException;

/** A request got no response within its timeout. */
public final class RequestTimeoutException extends TimeoutException {
    public RequestTimeoutException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // expected outcome, not a bug: no stack trace
    }
}
