package org.protoblock.p2p.nat;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The part of an IGD device description (UPnP DA §2.3) we need: the control URL of a WAN connection
 * service that can add port mappings.
 *
 * <p>Rules: services are preferred in the order of {@link #SERVICE_TYPES} (WANIPConnection:2, :1,
 * then WANPPPConnection:1); the control URL is resolved against URLBase if present, else against the
 * description's own location; it must be http on the same host as the description (a device must not
 * make us post to another host).
 */
final class IgdDescription {
    static final List<String> SERVICE_TYPES = List.of(
            "urn:schemas-upnp-org:service:WANIPConnection:2",
            "urn:schemas-upnp-org:service:WANIPConnection:1",
            "urn:schemas-upnp-org:service:WANPPPConnection:1");

    /** A WAN connection service: where to post SOAP actions, and the service type they name. */
    record Control(URI controlUrl, String serviceType) {
    }

    private IgdDescription() {
    }

    static Control parse(byte[] xml, URI location) throws PortMapException {
        Document document = SafeXml.parse(xml);
        URI base = SafeXml.firstText(document, "URLBase").filter(s -> !s.isEmpty()).flatMap(IgdDescription::uri).orElse(location);
        NodeList services = document.getElementsByTagNameNS("*", "service");
        for (String wanted : SERVICE_TYPES) {
            for (int i = 0; i < services.getLength(); i++) {
                Element service = (Element) services.item(i);
                Optional<String> type = SafeXml.firstText(service, "serviceType");
                Optional<String> control = SafeXml.firstText(service, "controlURL");
                if (type.filter(wanted::equals).isPresent() && control.isPresent()) {
                    URI url = uri(control.get()).map(base::resolve)
                            .orElseThrow(() -> PortMapException.malformed("bad controlURL " + control.get()));
                    if (!"http".equals(url.getScheme()) || url.getHost() == null || !url.getHost().equals(location.getHost())) {
                        throw PortMapException.malformed("controlURL " + url + " is not http on " + location.getHost());
                    }
                    return new Control(url, wanted);
                }
            }
        }
        throw new PortMapException(PortMapException.Kind.NO_GATEWAY, "no WAN connection service in " + location);
    }

    private static Optional<URI> uri(String text) {
        try {
            return Optional.of(new URI(text));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
