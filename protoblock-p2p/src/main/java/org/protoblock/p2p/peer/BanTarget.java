package org.protoblock.p2p.peer;

import java.util.Objects;
import java.util.Optional;
import org.protoblock.p2p.discovery.AddressRules;
import org.protoblock.p2p.identity.NodeId;

/**
 * What a ban applies to: a node id ({@code node:<hex>}) or a host ({@code host:<ip or name>}, every
 * port; an IPv6 host may be a /64: {@code host:a:b:c:d::/64}). Text form is the persisted key and what the node program's API shows and accepts.
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

    /** A host; {@code <ipv6>/64} is read as that /64 (in the form {@link #ipv6Subnet} gives). */
    public static BanTarget host(String host) {
        if (host.endsWith("/64")) {
            Optional<BanTarget> subnet = ipv6Subnet(host.substring(0, host.length() - 3));
            if (subnet.isPresent()) {
                return subnet.get();
            }
        }
        return new BanTarget(HOST + host.toLowerCase(java.util.Locale.ROOT));
    }

    /** The /64 an IPv6 host is in ({@code host:a:b:c:d::/64}); empty for other hosts. */
    public static Optional<BanTarget> ipv6Subnet(String host) {
        return AddressRules.ipv6Prefix64(host).map(prefix -> new BanTarget(HOST + prefix));
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
