package org.protoblock.p2p.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BoundedBodyTest {
    private static final int LIMIT = 4096;
    private HttpServer server;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        server.createContext("/", exchange -> {
            int size = Integer.parseInt(exchange.getRequestURI().getPath().substring(1));
            exchange.sendResponseHeaders(200, 0); // chunked: the client cannot know the size up front
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < size; i++) {
                    out.write('x');
                }
            } catch (IOException e) {
                // the client hung up on an oversized body
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpRequest request(int size) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + size))
                .timeout(Duration.ofSeconds(5)).build();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, LIMIT})
    void keepsBodiesUpToTheLimit(int size) throws Exception {
        byte[] body = UpnpClient.httpClient(Duration.ofSeconds(2)).send(request(size), BoundedBody.handler(LIMIT)).body();
        assertThat(body).hasSize(size);
    }

    @ParameterizedTest
    @ValueSource(ints = {LIMIT + 1, 10 * LIMIT, 1 << 20})
    void failsBodiesOverTheLimit(int size) {
        assertThatThrownBy(() -> UpnpClient.httpClient(Duration.ofSeconds(2)).send(request(size), BoundedBody.handler(LIMIT)))
                .isInstanceOf(IOException.class).hasMessageContaining("over " + LIMIT + " bytes");
    }
}
