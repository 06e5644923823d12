package org.protoblock.p2p.nat;

import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A manual check against a real gateway (miniupnpd in a namespace lab): maps {@code args[0]}, serves
 * "hello" on it for {@code args[1]} seconds so a host outside can connect through the mapping, then
 * closes (deleting the mapping). Run it inside the home namespace: {@code ip netns exec <home> java -cp
 * <test classpath> org.protoblock.p2p.nat.PortMapperLabMain 8125 20 [upnp|noupnp [lifetime-seconds]]}.
 */
public final class PortMapperLabMain {
    private PortMapperLabMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Duration serve = Duration.ofSeconds(Long.parseLong(args[1]));
        boolean upnp = args.length < 3 || !args[2].equals("noupnp");
        PortMapperConfig defaults = PortMapperConfig.defaults();
        Duration lifetime = args.length < 4 ? defaults.requestedLifetime() : Duration.ofSeconds(Long.parseLong(args[3]));
        PortMapperConfig config = new PortMapperConfig(lifetime, defaults.replyTimeout(), defaults.tries(),
                defaults.retryAfterFailure(), Optional.empty(), upnp);
        try (ServerSocket listener = new ServerSocket(port)) {
            listener.setSoTimeout(200);
            Instant started = Instant.now();
            PortMapper mapper = new PortMapper(config, Clock.systemUTC(),
                    m -> System.out.println("CHANGE after " + Duration.between(started, Instant.now()).toMillis() + " ms: " + m));
            mapper.start(port);
            Instant end = Instant.now().plus(serve);
            while (Instant.now().isBefore(end)) {
                try (Socket s = listener.accept(); OutputStream out = s.getOutputStream()) {
                    System.out.println("ACCEPTED from " + s.getRemoteSocketAddress());
                    out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
                } catch (java.net.SocketTimeoutException e) {
                    // keep serving until the end
                }
            }
            System.out.println("CURRENT " + mapper.current());
            Instant closing = Instant.now();
            mapper.close();
            System.out.println("CLOSED in " + Duration.between(closing, Instant.now()).toMillis() + " ms");
        }
    }
}
