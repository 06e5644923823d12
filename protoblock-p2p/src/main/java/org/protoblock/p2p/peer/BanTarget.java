package org.protoblock.p2p.peer;

import java.util.Objects;
import java.util.Optional;
import org.protoblock.p2p.identity.NodeId;

/**
 * What a ban applies to: a node id ({@code node:<hex>}) or a host ({@code host:<ip or name>}, every
 * port). Text form is the persisted key and what the node program's API shows and accepts.
 */
public record BanTarget(String text) {
    private static final String NODE = "node:";
    private static final String HOST = "host:";

    public BanTarget {
        Objects.requireNonNull(text, "text");
        if (!(text.startsWith(NODE) || text.startsWith(HOST)) || text.length() > 300) {
            throw new IllegalArgumentException("ban target must be node:<id> or host:<address>: " + text);
        }
    }

    public static BanTarget node(NodeId id) {
        return new BanTarget(NODE + id.hex());
    }

    public static BanTarget host(String host) {
        return new BanTarget(HOST + host.toLowerCase(java.util.Locale.ROOT));
    }

    /** Parses {@code node:<hex>}, {@code host:<h>}, a bare 64-hex node id, or a bare host. */
    public static Optional<BanTarget> parse(String text) {
        if (text == null || text.isBlank() || text.length() > 300) {
            return Optional.empty();
        }
        String t = text.trim();
        try {
            if (t.startsWith(NODE)) {
                return Optional.of(node(new NodeId(t.substring(NODE.length()))));
            }
            if (t.startsWith(HOST)) {
                return t.length() > HOST.length() ? Optional.of(host(t.substring(HOST.length()))) : Optional.empty();
            }
            if (t.length() == NodeId.BYTES * 2) {
                return Optional.of(node(new NodeId(t)));
            }
            return Optional.of(host(t));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The banned node, for a node target. */
    public Optional<NodeId> nodeId() {
        return text.startsWith(NODE) ? Optional.of(new NodeId(text.substring(NODE.length()))) : Optional.empty();
    }

    @Override
    public String toString() {
        return text;
    }
}
