package org.protoblock.p2p.nat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds UPnP Internet Gateway Devices with SSDP (UPnP Device Architecture 1.1 §1.3): an M-SEARCH per
 * search target to 239.255.255.250:1900, then unicast "HTTP/1.1 200 OK" answers with a LOCATION.
 *
 * <p>Rules: the search is sent from our address on the route to the gateway (so it leaves on the
 * LAN the gateway is on) and repeated once halfway through the wait (UDP may drop it); an answer
 * counts only when its LOCATION is an http URL on the host that sent it (a LAN host must not make us
 * fetch URLs elsewhere); the search ends 200 ms after the first answer; at most {@link #MAX_LOCATIONS} locations are kept; answers are bounded by
 * the datagram buffer.
 *
 * <p>Threads: none of its own; one search per call, on the caller's thread.
 */
final class Ssdp {
    private static final Logger log = LoggerFactory.getLogger(Ssdp.class);
    static final InetSocketAddress MULTICAST = new InetSocketAddress("239.255.255.250", 1900);
    static final List<String> SEARCH_TARGETS = List.of(
            "urn:schemas-upnp-org:device:InternetGatewayDevice:1",
            "urn:schemas-upnp-org:service:WANIPConnection:1",
            "urn:schemas-upnp-org:service:WANIPConnection:2",
            "urn:schemas-upnp-org:service:WANPPPConnection:1");
    static final int MAX_LOCATIONS = 8;
    private static final int MAX_DATAGRAM = 2048;
    /** Other devices answering the same search usually do within this; no need to wait the full MX. */
    private static final Duration AFTER_FIRST_ANSWER = Duration.ofMillis(200);

    private final InetSocketAddress target;
    private final BooleanSupplier cancelled;

    Ssdp(InetSocketAddress target, BooleanSupplier cancelled) {
        this.target = target;
        this.cancelled = cancelled;
    }

    static byte[] searchRequest(String searchTarget) {
        String request = "M-SEARCH * HTTP/1.1\r\n"
                + "HOST: 239.255.255.250:1900\r\n"
                + "MAN: \"ssdp:discover\"\r\n"
                + "MX: 1\r\n"
                + "ST: " + searchTarget + "\r\n"
                + "\r\n";
        return request.getBytes(StandardCharsets.US_ASCII);
    }

    /** The LOCATION of a search answer from {@code sender}, if it is a 200 answer with an acceptable one. */
    static Optional<URI> location(String response, InetAddress sender) {
        String[] lines = response.split("\r?\n");
        if (lines.length == 0 || !lines[0].startsWith("HTTP/1.") || !lines[0].contains(" 200")) {
            return Optional.empty();
        }
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("location")) {
                try {
                    URI uri = new URI(line.substring(colon + 1).trim());
                    boolean sameHost = isIpLiteral(uri.getHost()) && InetAddress.getByName(uri.getHost()).equals(sender);
                    return "http".equals(uri.getScheme()) && sameHost ? Optional.of(uri) : Optional.empty();
                } catch (URISyntaxException | IOException | IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /**
     * True for a numeric host (no name lookups for addresses a LAN device gave us): ASCII only, and
     * either IPv6 (a ':'; the JDK never resolves those) or a dotted quad of decimal octets. Rationale:
     * hex digits alone are not enough, "cafe" or "bad.face" would go to the resolver (found by fuzzing).
     */
    static boolean isIpLiteral(String host) {
        if (host == null || host.isEmpty()
                || !host.chars().allMatch(c -> c < 128 && (Character.digit(c, 16) >= 0 || c == '.' || c == ':' || c == '[' || c == ']'))) {
            return false;
        }
        if (host.indexOf(':') >= 0) {
            return true;
        }
        String[] octets = host.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Searches from {@code local} for {@code wait}; the distinct locations found, in answer order. */
    List<URI> search(InetAddress local, Duration wait) throws PortMapException {
        Set<URI> found = new LinkedHashSet<>();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, 0))) {
            long start = System.nanoTime();
            long deadline = start + wait.toNanos();
            boolean repeated = false;
            long firstFound = 0;
            sendAll(socket);
            byte[] buffer = new byte[MAX_DATAGRAM];
            while (found.size() < MAX_LOCATIONS) {
                long now = System.nanoTime();
                if (!found.isEmpty() && now >= firstFound + AFTER_FIRST_ANSWER.toNanos()) {
                    break;
                }
                if (now >= deadline) {
                    break;
                }
                if (!repeated && now >= start + wait.toNanos() / 2) {
                    sendAll(socket);
                    repeated = true;
                }
                long until = repeated ? deadline : start + wait.toNanos() / 2;
                if (!found.isEmpty()) {
                    until = Math.min(until, firstFound + AFTER_FIRST_ANSWER.toNanos());
                }
                socket.setSoTimeout((int) Math.max(1, Math.min((until - now) / 1_000_000, UdpExchange.POLL_MS)));
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    if (cancelled.getAsBoolean()) {
                        break;
                    }
                    continue;
                }
                String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.ISO_8859_1);
                Optional<URI> location = location(text, packet.getAddress());
                if (location.isPresent() && found.isEmpty()) {
                    firstFound = System.nanoTime();
                }
                if (location.isEmpty() || found.add(location.get())) {
                    log.debug("SSDP answer from {}: {}", packet.getAddress().getHostAddress(), location.map(URI::toString).orElse("ignored"));
                }
            }
        } catch (IOException e) {
            throw new PortMapException(PortMapException.Kind.NO_GATEWAY, "SSDP search failed: " + e, e);
        }
        return List.copyOf(found);
    }

    private void sendAll(DatagramSocket socket) throws IOException {
        for (String st : SEARCH_TARGETS) {
            byte[] request = searchRequest(st);
            socket.send(new DatagramPacket(request, request.length, target));
        }
    }
}
