package org.protoblock.chain.store;

import java.util.Locale;
import java.util.Objects;
import org.protoblock.chain.types.TxId;

/**
 * A registered fantasy name. Names are unique case-insensitively ({@link #fold}); once registered,
 * a name's key never changes, so entries are only ever added (apply) or removed (rollback).
 */
public record NameEntry(String name, String publicKey, TxId registeredBy, int num) {
    public NameEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(registeredBy, "registeredBy");
    }

    public String folded() {
        return fold(name);
    }

    /** The registry's case folding: names differing only in case collide. */
    public static String fold(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
