package org.protoblock.p2p.nat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps one TCP port with UPnP-IGD: SSDP search, device description, then SOAP AddPortMapping
 * (external port = internal port) and GetExternalIPAddress; DeletePortMapping to unmap.
 *
 * <p>Rules: the first location whose description has a WAN connection service is used, and
 * remembered for renewals and the delete; every HTTP exchange (headers and body) has a timeout and reads at most
 * {@link #MAX_BODY} bytes; no redirects, no proxy; a gateway that refuses a lease with error 725
 * gets lease 0 (permanent, which miniupnpd and IGD:1 allow) and the grant says so; the external IP
 * is taken as given, private or not.
 *
 * <p>Threads: confined to the {@link PortMapper}'s thread (the found control URL is its state);
 * the {@link HttpClient} it is given runs its own I/O threads.
 */
final class UpnpClient implements MappingClient {
    private static final Logger log = LoggerFactory.getLogger(UpnpClient.class);
    static final int MAX_BODY = 64 * 1024;

    private final HttpClient http;
    private final Ssdp ssdp;
    private final InetAddress internalAddress;
    private final Duration timeout;
    private Optional<IgdDescription.Control> control = Optional.empty();

    UpnpClient(HttpClient http, Ssdp ssdp, InetAddress internalAddress, Duration timeout) {
        this.http = http;
        this.ssdp = ssdp;
        this.internalAddress = internalAddress;
        this.timeout = timeout;
    }

    /** An HTTP client fit for LAN gateways: HTTP/1.1, no redirects, no proxy. */
    static HttpClient httpClient(Duration connectTimeout) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY).connectTimeout(connectTimeout).build();
    }

    @Override
    public MappingProtocol protocol() {
        return MappingProtocol.UPNP;
    }

    @Override
    public GatewayGrant map(int internalPort, Duration lifetime) throws PortMapException {
        IgdDescription.Control service = control.isPresent() ? control.get() : discover();
        control = Optional.of(service);
        Reply added = post(service, "AddPortMapping",
                SoapPortMapping.addPortMapping(service.serviceType(), internalPort, internalAddress, lifetime.toSeconds()), timeout);
        Duration granted = lifetime;
        if (added.status() != 200 && SoapPortMapping.errorCode(added.body()).orElse(0) == SoapPortMapping.ONLY_PERMANENT_LEASES_SUPPORTED) {
            log.debug("UPnP gateway only takes permanent leases: asking lease 0");
            added = post(service, "AddPortMapping",
                    SoapPortMapping.addPortMapping(service.serviceType(), internalPort, internalAddress, 0), timeout);
            granted = Duration.ZERO;
        }
        if (added.status() != 200) {
            throw refused("AddPortMapping", added);
        }
        Reply external = post(service, "GetExternalIPAddress", SoapPortMapping.getExternalIpAddress(service.serviceType()), timeout);
        if (external.status() != 200) {
            throw refused("GetExternalIPAddress", external);
        }
        return new GatewayGrant(new InetSocketAddress(SoapPortMapping.externalIpAddress(external.body()), internalPort), granted);
    }

    @Override
    public void unmap(int internalPort) throws PortMapException {
        if (control.isEmpty()) {
            return;
        }
        IgdDescription.Control service = control.get();
        Duration shortTimeout = timeout.compareTo(Duration.ofSeconds(1)) < 0 ? timeout : Duration.ofSeconds(1);
        Reply deleted = post(service, "DeletePortMapping", SoapPortMapping.deletePortMapping(service.serviceType(), internalPort), shortTimeout);
        if (deleted.status() != 200) {
            throw refused("DeletePortMapping", deleted);
        }
    }

    private IgdDescription.Control discover() throws PortMapException {
        List<URI> locations = ssdp.search(internalAddress, timeout);
        if (locations.isEmpty()) {
            throw new PortMapException(PortMapException.Kind.NO_ANSWER, "UPnP: no gateway answered the SSDP search");
        }
        PortMapException last = null;
        for (URI location : locations) {
            try {
                Reply description = exchange(HttpRequest.newBuilder(location).timeout(timeout).GET().build(), "description");
                if (description.status() != 200) {
                    throw new PortMapException(PortMapException.Kind.NO_GATEWAY, "UPnP: " + location + " answered " + description.status());
                }
                IgdDescription.Control found = IgdDescription.parse(description.body(), location);
                log.debug("UPnP gateway {}: {} at {}", location, found.serviceType(), found.controlUrl());
                return found;
            } catch (PortMapException e) {
                log.debug("UPnP device {} unusable: {}", location, e.getMessage());
                last = e;
            }
        }
        throw last;
    }

    private Reply post(IgdDescription.Control service, String action, byte[] body, Duration requestTimeout) throws PortMapException {
        HttpRequest request = HttpRequest.newBuilder(service.controlUrl()).timeout(requestTimeout)
                .header("Content-Type", "text/xml; charset=\"utf-8\"")
                .header("SOAPAction", SoapPortMapping.soapAction(service.serviceType(), action))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return exchange(request, action);
    }

    private Reply exchange(HttpRequest request, String what) throws PortMapException {
        Duration limit = request.timeout().orElse(timeout);
        try {
            HttpResponse<byte[]> response = http.sendAsync(request, BoundedBody.handler(MAX_BODY))
                    .get(limit.toMillis() + 100, TimeUnit.MILLISECONDS);
            return new Reply(response.statusCode(), response.body());
        } catch (ExecutionException e) {
            throw new PortMapException(PortMapException.Kind.NO_ANSWER, "UPnP " + what + " to " + request.uri() + ": " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new PortMapException(PortMapException.Kind.NO_ANSWER, "UPnP " + what + " to " + request.uri() + ": no answer within " + limit, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PortMapException(PortMapException.Kind.NO_ANSWER, "UPnP " + what + ": interrupted", e);
        }
    }

    private static PortMapException refused(String action, Reply reply) {
        return new PortMapException(PortMapException.Kind.REFUSED,
                "UPnP " + action + " refused: HTTP " + reply.status() + ", " + SoapPortMapping.describeFault(reply.body()));
    }

    private record Reply(int status, byte[] body) {
    }
}
