package org.protoblock.node.config;

/** A setting is malformed or contradictory: a usage error (exit code 2), told in one line. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
