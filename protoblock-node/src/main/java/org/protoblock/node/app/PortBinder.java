package org.protoblock.node.app;

import java.net.BindException;
import java.util.Optional;
import org.protoblock.node.config.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a server to a configured port or, when that one is taken, to the next free one (up to
 * {@value #MAX_TRIES} ports on), saying so in the log. Port 0 asks the OS for any port.
 */
public final class PortBinder {
    private static final Logger log = LoggerFactory.getLogger(PortBinder.class);
    public static final int MAX_TRIES = 50;

    /** One attempt at binding {@code address}. */
    @FunctionalInterface
    public interface Attempt<T> {
        T bind(HostPort address) throws Exception;
    }

    private PortBinder() {
    }

    public static <T> T bind(String what, HostPort address, boolean nextFree, Attempt<T> attempt) throws Exception {
        int tries = nextFree && address.port() != 0 ? MAX_TRIES : 1;
        Exception last = null;
        for (int i = 0; i < tries && address.port() + i <= 65535; i++) {
            HostPort candidate = address.withPort(address.port() == 0 ? 0 : address.port() + i);
            try {
                T bound = attempt.bind(candidate);
                if (i > 0) {
                    log.info("{} port {} is taken: using {} instead", what, address.port(), candidate.port());
                }
                return bound;
            } catch (Exception e) {
                if (addressInUse(e).isEmpty()) {
                    throw e;
                }
                last = e;
            }
        }
        throw new BindException(what + ": no free port from " + address + " (" + (last == null ? "" : last.getMessage()) + ")");
    }

    /** Whether {@code e} (or a cause) says the address is in use; epoll reports it as a plain IOException. */
    static Optional<Throwable> addressInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
