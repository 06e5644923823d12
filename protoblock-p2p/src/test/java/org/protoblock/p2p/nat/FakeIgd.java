package org.protoblock.p2p.nat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A UPnP IGD on loopback: an SSDP responder and an HTTP server that answer with miniupnpd's
 * captured SSDP answer, device description and SOAP responses. Records the SOAP actions it got.
 *
 * <p>Threads: one daemon thread answers SSDP; the HTTP server's thread answers HTTP.
 */
final class FakeIgd implements AutoCloseable {
    /** One SOAP call as received. */
    record Call(String soapAction, String body) {
    }

    private final DatagramSocket ssdp;
    private final HttpServer http;
    private final Thread thread;
    final List<Call> calls = new CopyOnWriteArrayList<>();
    volatile boolean onlyPermanentLeases;

    FakeIgd() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        http = HttpServer.create(new InetSocketAddress(loopback, 0), 8);
        http.createContext("/rootDesc.xml", exchange -> reply(exchange, 200, Captured.bytes("igd-description.xml")));
        http.createContext("/ctl/IPConn", this::control);
        http.start();
        ssdp = new DatagramSocket(new InetSocketAddress(loopback, 0));
        thread = new Thread(this::answerSearches, "fake-igd-ssdp");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress ssdpAddress() {
        return (InetSocketAddress) ssdp.getLocalSocketAddress();
    }

    private void answerSearches() {
        String answer = new String(Captured.bytes("ssdp-response.txt"), StandardCharsets.ISO_8859_1)
                .replace("http://192.168.77.1:5000", "http://127.0.0.1:" + http.getAddress().getPort());
        byte[] bytes = answer.getBytes(StandardCharsets.ISO_8859_1);
        byte[] buffer = new byte[2048];
        while (!ssdp.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                ssdp.receive(packet);
                if (new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII).startsWith("M-SEARCH")) {
                    ssdp.send(new DatagramPacket(bytes, bytes.length, packet.getSocketAddress()));
                }
            } catch (SocketException e) {
                return;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void control(HttpExchange exchange) throws IOException {
        String action = exchange.getRequestHeaders().getFirst("SOAPAction");
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        calls.add(new Call(action, body));
        if (action.endsWith("#GetExternalIPAddress\"")) {
            reply(exchange, 200, Captured.bytes("soap-get-external-ip.xml"));
        } else if (action.endsWith("#AddPortMapping\"")) {
            if (onlyPermanentLeases && !body.contains("<NewLeaseDuration>0</NewLeaseDuration>")) {
                reply(exchange, 500, Captured.bytes("soap-add-port-mapping-refused.xml"));
                return;
            }
            reply(exchange, 200, Captured.bytes("soap-add-port-mapping.xml"));
        } else if (action.endsWith("#DeletePortMapping\"")) {
            reply(exchange, 200, Captured.bytes("soap-delete-port-mapping.xml"));
        } else {
            reply(exchange, 500, new byte[0]);
        }
    }

    private void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        byte[] sent = status == 500 && onlyPermanentLeases
                ? new String(body, StandardCharsets.UTF_8).replace("606", "725").replace("Action not authorized", "OnlyPermanentLeasesSupported")
                        .getBytes(StandardCharsets.UTF_8)
                : body;
        exchange.sendResponseHeaders(status, sent.length == 0 ? -1 : sent.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(sent);
        }
    }

    @Override
    public void close() throws InterruptedException {
        ssdp.close();
        http.stop(0);
        thread.join(1000);
    }
}
