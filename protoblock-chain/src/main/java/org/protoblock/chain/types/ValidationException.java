package org.protoblock.chain.types;

import java.util.Objects;
import org.protoblock.chain.types.Rule;

/**
 * A block or transaction broke {@link #rule()}. Expected on bad input (from peers or clients):
 * callers log it as one line and score the sender; it carries no stack trace.
 */
public final class ValidationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Rule rule;
    private final String detail;

    public ValidationException(Rule rule, String detail) {
        super(rule.name() + ": " + rule.description() + (detail.isEmpty() ? "" : " (" + detail + ")"), null, false, false);
        this.rule = Objects.requireNonNull(rule);
        this.detail = detail;
    }

    public ValidationException(Rule rule) {
        this(rule, "");
    }

    public Rule rule() {
        return rule;
    }

    public String detail() {
        return detail;
    }
}
