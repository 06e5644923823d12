package org.protoblock.node.rpc;

import java.util.List;
import java.util.Locale;

/**
 * Which names and web origins may reach the RPC port besides the node's own (geth's
 * {@code --http.vhosts} and {@code --http.corsdomain}); {@code *} in a list allows any.
 *
 * @param hosts   extra names a request's {@code Host} may carry (e.g. {@code node.example})
 * @param origins extra {@code Origin}s a browser request may come from (e.g. {@code https://app.example})
 */
public record RpcAccess(List<String> hosts, List<String> origins) {
    public static final String ANY = "*";

    public RpcAccess {
        hosts = hosts.stream().map(RpcAccess::normalize).filter(s -> !s.isEmpty()).toList();
        origins = origins.stream().map(RpcAccess::normalize).filter(s -> !s.isEmpty()).toList();
    }

    /** Only the node's own address and pages. */
    public static RpcAccess ownOnly() {
        return new RpcAccess(List.of(), List.of());
    }

    boolean allowsHost(String host) {
        return hosts.contains(ANY) || hosts.contains(host);
    }

    boolean allowsOrigin(String origin) {
        return origins.contains(ANY) || origins.contains(origin);
    }

    /** Lower case, no trailing slash or dot: how browsers write origins and names compare. */
    static String normalize(String s) {
        String out = s.strip().toLowerCase(Locale.ROOT);
        while (out.endsWith("/") || out.endsWith(".")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }
}
