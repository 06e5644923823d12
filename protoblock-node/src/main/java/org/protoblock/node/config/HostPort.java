package org.protoblock.node.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A host and port as written on the command line or in a config file: {@code HOST:PORT},
 * {@code [v6]:PORT} or {@code :PORT} (all interfaces). Port 0 means "any free port".
 */
public record HostPort(String host, int port) {
    public static final int MAX_TEXT = 300;

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public static Optional<HostPort> tryParse(String text) {
        if (text == null || text.isBlank() || text.length() > MAX_TEXT) {
            return Optional.empty();
        }
        String t = text.strip();
        int schemeEnd = t.indexOf("://");
        if (schemeEnd >= 0) {
            t = t.substring(schemeEnd + 3);
        }
        int colon = t.lastIndexOf(':');
        if (colon < 0 || colon == t.length() - 1) {
            return Optional.empty();
        }
        String host = colon == 0 ? "0.0.0.0" : t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            return Optional.empty(); // a bare IPv6 address needs brackets
        }
        try {
            return Optional.of(new HostPort(host, Integer.parseInt(t.substring(colon + 1))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static HostPort parse(String text) {
        return tryParse(text).orElseThrow(() -> new IllegalArgumentException("expected HOST:PORT, got '" + text + "'"));
    }

    public HostPort withPort(int newPort) {
        return new HostPort(host, newPort);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
