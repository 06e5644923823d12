package org.protoblock.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy adds its RTT to a round trip, keeps byte order, and holds a direction to its rate. */
class DelayProxyTest {
    private ServerSocket echo;
    private Thread echoThread;

    @BeforeEach
    void startEcho() throws Exception {
        echo = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress());
        echoThread = new Thread(() -> {
            try (Socket s = echo.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                s.setSoTimeout(10_000);
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (Exception e) {
                // closed by the test
            }
        }, "echo");
        echoThread.setDaemon(true);
        echoThread.start();
    }

    @AfterEach
    void stopEcho() throws Exception {
        echo.close();
        echoThread.join(5_000);
    }

    private InetSocketAddress target() {
        return new InetSocketAddress("127.0.0.1", echo.getLocalPort());
    }

    @Test
    void aRoundTripTakesTheRttAndBytesComeBackInOrder() throws Exception {
        try (DelayProxy proxy = DelayProxy.start(target(), Duration.ofMillis(100), 0);
             Socket client = new Socket("127.0.0.1", proxy.address().getPort())) {
            client.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(client.getInputStream());
            long t0 = System.nanoTime();
            client.getOutputStream().write(7);
            assertThat(in.read()).isEqualTo(7);
            long rttMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(rttMillis).isBetween(100L, 1_000L);

            byte[] sent = new byte[200_000];
            for (int i = 0; i < sent.length; i++) {
                sent[i] = (byte) (i * 31 + i / 251);
            }
            for (int from = 0; from < sent.length; from += 997) { // many small writes, each its own read at the proxy
                client.getOutputStream().write(sent, from, Math.min(997, sent.length - from));
            }
            byte[] back = new byte[sent.length];
            in.readFully(back);
            assertThat(back).isEqualTo(sent);
        }
    }

    @Test
    void aBandwidthCapSpreadsBytesOverTime() throws Exception {
        int bytes = 300_000;
        try (DelayProxy proxy = DelayProxy.start(target(), Duration.ZERO, 1_000_000);
             Socket client = new Socket("127.0.0.1", proxy.address().getPort())) {
            client.setSoTimeout(10_000);
            long t0 = System.nanoTime();
            client.getOutputStream().write(new byte[bytes]);
            new DataInputStream(client.getInputStream()).readFully(new byte[bytes]);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            // 300 kB at 1 MB/s each way (the echo's answer overlaps the request): at least 0.3 s
            assertThat(millis).isGreaterThanOrEqualTo(300L);
            assertThat(proxy.bytesForwarded()).isEqualTo(2L * bytes);
        }
    }
}
