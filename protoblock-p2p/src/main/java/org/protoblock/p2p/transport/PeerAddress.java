package org.protoblock.p2p.transport;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a peer can be reached, as text on the wire: {@code tcp://host:port} or {@code local://name}
 * (in-process). Relay and hole-punched schemes come later.
 */
public record PeerAddress(String scheme, String host, int port) {
    public static final String TCP = "tcp";
    public static final String LOCAL = "local";
    /** Longest address accepted from a peer. */
    public static final int MAX_TEXT_LENGTH = 300;

    public PeerAddress {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public static PeerAddress tcp(String host, int port) {
        return new PeerAddress(TCP, host, port);
    }

    public static PeerAddress local(String name) {
        return new PeerAddress(LOCAL, name, 0);
    }

    /** Parses what {@link #toString()} produces; empty for anything malformed. */
    public static Optional<PeerAddress> parse(String text) {
        if (text == null || text.length() > MAX_TEXT_LENGTH) {
            return Optional.empty();
        }
        int sep = text.indexOf("://");
        if (sep <= 0) {
            return Optional.empty();
        }
        String scheme = text.substring(0, sep);
        String rest = text.substring(sep + 3);
        try {
            if (scheme.equalsIgnoreCase(LOCAL)) {
                return Optional.of(local(rest));
            }
            int colon = rest.lastIndexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            String host = rest.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return Optional.of(new PeerAddress(scheme, host, Integer.parseInt(rest.substring(colon + 1))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        if (LOCAL.equals(scheme)) {
            return LOCAL + "://" + host;
        }
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return scheme + "://" + h + ":" + port;
    }
}
