package org.protoblock.node.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Host and Origin rules of {@link BrowserGuard}, header by header (the HTTP path is in BrowserAccessTest). */
class BrowserGuardTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);

    private static boolean passes(BrowserGuard guard, String host, String origin) {
        HttpHeaders headers = new DefaultHttpHeaders();
        if (host != null) {
            headers.set("Host", host);
        }
        if (origin != null) {
            headers.set("Origin", origin);
        }
        return guard.refusal(headers, LOCAL).isEmpty();
    }

    @Test
    void hostsNamesLiteralsAndPorts() {
        BrowserGuard guard = new BrowserGuard("127.0.0.1", RpcAccess.ownOnly());
        assertThat(passes(guard, null, null)).isTrue();
        assertThat(passes(guard, "127.0.0.1:8080", null)).isTrue();
        assertThat(passes(guard, "LOCALHOST:8080", null)).isTrue();
        assertThat(passes(guard, "localhost.", null)).isTrue();
        assertThat(passes(guard, "[::1]:8080", null)).isTrue();
        assertThat(passes(guard, "192.168.1.5:8080", null)).isTrue(); // a literal cannot be rebound
        assertThat(passes(guard, "evil.example:8080", null)).isFalse();
        assertThat(passes(guard, "localhost.evil.example", null)).isFalse();
        assertThat(passes(guard, "127.0.0.1.nip.io:8080", null)).isFalse();
        assertThat(passes(new BrowserGuard("node.example", RpcAccess.ownOnly()), "node.example:8080", null)).isTrue();
        assertThat(passes(new BrowserGuard("127.0.0.1", new RpcAccess(List.of("*"), List.of())), "any.example", null)).isTrue();
    }

    @Test
    void originsOwnConfiguredAndForeign() {
        BrowserGuard guard = new BrowserGuard("[::1]", new RpcAccess(List.of(), List.of("https://App.example/")));
        assertThat(passes(guard, "[::1]:8080", "http://[::1]:8080")).isTrue();
        assertThat(passes(guard, "localhost:8080", "http://127.0.0.1:8080")).isTrue();
        assertThat(passes(guard, "localhost:8080", "https://app.example")).isTrue();
        assertThat(passes(guard, "localhost:8080", "http://localhost:8081")).isFalse(); // another local service's page
        assertThat(passes(guard, "localhost:8080", "http://localhost")).isFalse();
        assertThat(passes(guard, "localhost:8080", "http://evil.example")).isFalse();
        assertThat(passes(guard, "localhost:8080", "null")).isFalse();
        assertThat(passes(guard, "localhost:8080", "chrome-extension://abc")).isFalse();
        assertThat(passes(guard, null, "http://127.0.0.1:8080")).isTrue();
        assertThat(passes(new BrowserGuard("127.0.0.1", new RpcAccess(List.of(), List.of("*"))), "localhost:8080",
                "http://evil.example")).isTrue();
    }
}
