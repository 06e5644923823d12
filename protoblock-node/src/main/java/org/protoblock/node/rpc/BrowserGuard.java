package org.protoblock.node.rpc;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps web pages the operator visits away from the RPC port (as geth's vhosts and CORS checks).
 * A page can make the browser send requests to a loopback port ({@code fetch}, a form, a
 * WebSocket) and, through DNS rebinding, read the answers; other clients (the CLI, curl, scrapers)
 * send no {@code Origin}. Rules, applied to every HTTP request and WebSocket upgrade:
 * <ul>
 *   <li><b>Host</b>, when present, names the RPC bind host, {@code localhost}, a configured name,
 *       or is an IP literal. Rationale: DNS rebinding needs a name the attacker controls; a page
 *       reached by IP literal has that IP as its origin, so the browser keeps it apart.</li>
 *   <li><b>Origin</b>, when present, is the node's own: {@code http(s)://} plus the request's
 *       (allowed) Host, or {@code localhost}, {@code 127.0.0.1}, {@code [::1]} or the bind host
 *       with the port the request came in on; or a configured origin. {@code null} (sandboxed
 *       frames, files) is refused.</li>
 * </ul>
 * Immutable, thread-safe.
 */
final class BrowserGuard {
    private static final Set<String> LOCAL_NAMES = Set.of("localhost", "127.0.0.1", "::1");

    private final String bindHost;
    private final RpcAccess access;

    BrowserGuard(String bindHost, RpcAccess access) {
        this.bindHost = bare(RpcAccess.normalize(bindHost));
        this.access = access;
    }

    /** Why the request must be refused (HTTP 403), or empty when it may pass. */
    Optional<String> refusal(HttpHeaders headers, InetSocketAddress local) {
        String hostHeader = headers.get(HttpHeaderNames.HOST);
        if (hostHeader != null && !hostAllowed(hostName(RpcAccess.normalize(hostHeader)))) {
            return Optional.of("host not allowed: " + brief(hostHeader) + " (see --rpc-hosts)");
        }
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        if (origin != null && !originAllowed(RpcAccess.normalize(origin), hostHeader, local.getPort())) {
            return Optional.of("origin not allowed: " + brief(origin) + " (see --rpc-origins)");
        }
        return Optional.empty();
    }

    private boolean hostAllowed(String name) {
        return name.equals("localhost") || name.equals(bindHost) || access.allowsHost(name)
                || NetUtil.isValidIpV4Address(name) || NetUtil.isValidIpV6Address(name);
    }

    private boolean originAllowed(String origin, String hostHeader, int localPort) {
        if (access.allowsOrigin(origin)) {
            return true;
        }
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme();
        if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
            return false;
        }
        String host = bare(uri.getHost());
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        if (hostHeader != null && uri.getRawAuthority().equals(RpcAccess.normalize(hostHeader))) {
            return true; // a page this node served, under the name the browser used
        }
        return port == localPort && (LOCAL_NAMES.contains(host) || host.equals(bindHost));
    }

    /** The name of a Host header value: without its port, IPv6 without brackets. */
    static String hostName(String hostHeader) {
        if (hostHeader.startsWith("[")) {
            int end = hostHeader.indexOf(']');
            return end < 0 ? hostHeader : hostHeader.substring(1, end);
        }
        int colon = hostHeader.indexOf(':');
        return colon >= 0 && colon == hostHeader.lastIndexOf(':') ? hostHeader.substring(0, colon) : hostHeader;
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String brief(String s) {
        String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() <= 100 ? clean : clean.substring(0, 100) + "…";
    }
}
