package org.protoblock.p2p.nat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Document;

/**
 * The SOAP bodies of the WANIPConnection/WANPPPConnection actions we use (UPnP IGD:1/2,
 * WANIPConnection §2.4): GetExternalIPAddress, AddPortMapping, DeletePortMapping; and their answers.
 *
 * <p>An action is POSTed to the control URL with {@code SOAPAction: "serviceType#Action"}. A refusal
 * is HTTP 500 with a SOAP Fault carrying a UPnPError errorCode (e.g. 606 not authorized, 718
 * conflict, 725 only permanent leases supported).
 */
final class SoapPortMapping {
    static final String DESCRIPTION = "protoblock";
    /** UPnP error: the gateway only accepts lease duration 0 (permanent). */
    static final int ONLY_PERMANENT_LEASES_SUPPORTED = 725;

    private SoapPortMapping() {
    }

    static String soapAction(String serviceType, String action) {
        return "\"" + serviceType + "#" + action + "\"";
    }

    static byte[] getExternalIpAddress(String serviceType) {
        return envelope(serviceType, "GetExternalIPAddress", Map.of());
    }

    static byte[] addPortMapping(String serviceType, int port, InetAddress internalClient, long leaseSeconds) {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("NewRemoteHost", "");
        args.put("NewExternalPort", Integer.toString(port));
        args.put("NewProtocol", "TCP");
        args.put("NewInternalPort", Integer.toString(port));
        args.put("NewInternalClient", internalClient.getHostAddress());
        args.put("NewEnabled", "1");
        args.put("NewPortMappingDescription", DESCRIPTION);
        args.put("NewLeaseDuration", Long.toString(leaseSeconds));
        return envelope(serviceType, "AddPortMapping", args);
    }

    static byte[] deletePortMapping(String serviceType, int port) {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("NewRemoteHost", "");
        args.put("NewExternalPort", Integer.toString(port));
        args.put("NewProtocol", "TCP");
        return envelope(serviceType, "DeletePortMapping", args);
    }

    /** The NewExternalIPAddress of a GetExternalIPAddress answer (an IP literal). */
    static InetAddress externalIpAddress(byte[] response) throws PortMapException {
        Document document = SafeXml.parse(response);
        String text = SafeXml.firstText(document, "NewExternalIPAddress")
                .orElseThrow(() -> PortMapException.malformed("GetExternalIPAddress answer without NewExternalIPAddress"));
        if (!Ssdp.isIpLiteral(text)) {
            throw PortMapException.malformed("external IP address is not an address: " + text);
        }
        try {
            InetAddress address = InetAddress.getByName(text);
            if (address.isAnyLocalAddress()) {
                throw PortMapException.malformed("external IP address " + text);
            }
            return address;
        } catch (UnknownHostException e) {
            throw PortMapException.malformed("external IP address is not an address: " + text);
        }
    }

    /** The UPnPError errorCode of a fault answer, empty when there is none. */
    static Optional<Integer> errorCode(byte[] response) {
        try {
            return SafeXml.firstText(SafeXml.parse(response), "errorCode").map(Integer::parseInt);
        } catch (PortMapException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** "606 Action not authorized"-style text of a fault, for error messages. */
    static String describeFault(byte[] response) {
        try {
            Document document = SafeXml.parse(response);
            return SafeXml.firstText(document, "errorCode").orElse("?") + " "
                    + SafeXml.firstText(document, "errorDescription").orElse("");
        } catch (PortMapException e) {
            return "no fault body";
        }
    }

    private static byte[] envelope(String serviceType, String action, Map<String, String> args) {
        StringBuilder body = new StringBuilder();
        body.append("<?xml version=\"1.0\"?>\r\n")
                .append("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"")
                .append(" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>")
                .append("<u:").append(action).append(" xmlns:u=\"").append(escape(serviceType)).append("\">");
        args.forEach((name, value) -> body.append('<').append(name).append('>').append(escape(value)).append("</").append(name).append('>'));
        body.append("</u:").append(action).append("></s:Body></s:Envelope>\r\n");
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
