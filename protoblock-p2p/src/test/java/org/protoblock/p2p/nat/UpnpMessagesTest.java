package org.protoblock.p2p.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.protoblock.p2p.nat.Captured.bytes;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SSDP, device description and SOAP against miniupnpd's captured answers. */
class UpnpMessagesTest {
    private static final URI LOCATION = URI.create("http://192.168.77.1:5000/rootDesc.xml");
    private static final String WANIP2 = "urn:schemas-upnp-org:service:WANIPConnection:2";

    @Test
    void searchRequestIsAnSsdpMSearch() {
        assertThat(new String(Ssdp.searchRequest("urn:schemas-upnp-org:device:InternetGatewayDevice:1"), StandardCharsets.US_ASCII))
                .isEqualTo("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n"
                        + "ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n\r\n");
    }

    @Test
    void takesTheLocationOfMiniupnpdsAnswer() throws Exception {
        String answer = new String(bytes("ssdp-response.txt"), StandardCharsets.ISO_8859_1);
        assertThat(Ssdp.location(answer, InetAddress.getByName("192.168.77.1"))).contains(LOCATION);
    }

    @Test
    void ignoresALocationOnAnotherHostThanTheSender() throws Exception {
        String answer = new String(bytes("ssdp-response.txt"), StandardCharsets.ISO_8859_1);
        assertThat(Ssdp.location(answer, InetAddress.getByName("192.168.77.66"))).isEmpty();
        String named = answer.replace("http://192.168.77.1:5000", "http://router.example:5000");
        assertThat(Ssdp.location(named, InetAddress.getByName("192.168.77.1"))).isEmpty();
        String https = answer.replace("http://", "file://");
        assertThat(Ssdp.location(https, InetAddress.getByName("192.168.77.1"))).isEmpty();
    }

    @Test
    void findsTheWanIpConnectionOfMiniupnpdsDescription() throws Exception {
        IgdDescription.Control control = IgdDescription.parse(bytes("igd-description.xml"), LOCATION);
        assertThat(control).isEqualTo(new IgdDescription.Control(URI.create("http://192.168.77.1:5000/ctl/IPConn"), WANIP2));
    }

    @Test
    void prefersWanIpOverWanPppAndHonoursUrlBase() throws Exception {
        String xml = """
                <?xml version="1.0"?>
                <root xmlns="urn:schemas-upnp-org:device-1-0"><URLBase>http://192.168.77.1:49000/base/</URLBase><device>
                <serviceList>
                <service><serviceType>urn:schemas-upnp-org:service:WANPPPConnection:1</serviceType><controlURL>ppp</controlURL></service>
                <service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><controlURL>ip1</controlURL></service>
                </serviceList></device></root>
                """;
        IgdDescription.Control control = IgdDescription.parse(xml.getBytes(StandardCharsets.UTF_8), LOCATION);
        assertThat(control.controlUrl()).isEqualTo(URI.create("http://192.168.77.1:49000/base/ip1"));
        assertThat(control.serviceType()).isEqualTo("urn:schemas-upnp-org:service:WANIPConnection:1");
    }

    @Test
    void refusesAControlUrlOnAnotherHost() {
        String xml = "<root><device><serviceList><service><serviceType>" + WANIP2
                + "</serviceType><controlURL>http://10.1.1.1/ctl</controlURL></service></serviceList></device></root>";
        assertThatThrownBy(() -> IgdDescription.parse(xml.getBytes(StandardCharsets.UTF_8), LOCATION))
                .isInstanceOf(PortMapException.class).hasMessageContaining("not http on 192.168.77.1");
    }

    @Test
    void refusesDoctypesSoNoEntityTricks() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><root>&x;</root>";
        assertThatThrownBy(() -> IgdDescription.parse(xxe.getBytes(StandardCharsets.UTF_8), LOCATION))
                .isInstanceOfSatisfying(PortMapException.class, e -> assertThat(e.kind()).isEqualTo(PortMapException.Kind.MALFORMED));
    }

    @Test
    void addPortMappingBodyNamesEveryArgument() throws Exception {
        String body = new String(SoapPortMapping.addPortMapping(WANIP2, 8127, InetAddress.getByName("192.168.77.10"), 2400),
                StandardCharsets.UTF_8);
        assertThat(body).isEqualTo("<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\""
                + " s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>"
                + "<u:AddPortMapping xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:2\">"
                + "<NewRemoteHost></NewRemoteHost><NewExternalPort>8127</NewExternalPort><NewProtocol>TCP</NewProtocol>"
                + "<NewInternalPort>8127</NewInternalPort><NewInternalClient>192.168.77.10</NewInternalClient>"
                + "<NewEnabled>1</NewEnabled><NewPortMappingDescription>protoblock</NewPortMappingDescription>"
                + "<NewLeaseDuration>2400</NewLeaseDuration></u:AddPortMapping></s:Body></s:Envelope>\r\n");
        assertThat(SoapPortMapping.soapAction(WANIP2, "AddPortMapping")).isEqualTo("\"" + WANIP2 + "#AddPortMapping\"");
    }

    @Test
    void deletePortMappingBodyNamesTheMapping() {
        String body = new String(SoapPortMapping.deletePortMapping(WANIP2, 8127), StandardCharsets.UTF_8);
        assertThat(body).contains("<u:DeletePortMapping xmlns:u=\"" + WANIP2 + "\"><NewRemoteHost></NewRemoteHost>"
                + "<NewExternalPort>8127</NewExternalPort><NewProtocol>TCP</NewProtocol></u:DeletePortMapping>");
    }

    @Test
    void readsTheExternalAddressMiniupnpdReports() throws Exception {
        assertThat(SoapPortMapping.externalIpAddress(bytes("soap-get-external-ip.xml")).getHostAddress()).isEqualTo("10.99.0.1");
    }

    @Test
    void readsTheErrorCodeOfARefusal() {
        byte[] refused = bytes("soap-add-port-mapping-refused.xml");
        assertThat(SoapPortMapping.errorCode(refused)).contains(606);
        assertThat(SoapPortMapping.describeFault(refused)).isEqualTo("606 Action not authorized");
    }

    @ParameterizedTest
    @ValueSource(strings = {"soap-add-port-mapping.xml", "soap-delete-port-mapping.xml", "soap-delete-port-mapping-missing.xml"})
    void successAnswersCarryNoErrorCode(String name) {
        assertThat(SoapPortMapping.errorCode(bytes(name))).isEmpty();
    }

    @Test
    void anExternalAddressThatIsAHostNameIsRefused() {
        byte[] named = new String(bytes("soap-get-external-ip.xml"), StandardCharsets.UTF_8).replace("10.99.0.1", "evil.example")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SoapPortMapping.externalIpAddress(named)).isInstanceOf(PortMapException.class);
    }

    /** Found by fuzzing (NatMessagesFuzzTest): names spelt in hex digits went to the resolver. */
    @ParameterizedTest
    @ValueSource(strings = {"cafe", "bad.face", "dead.beef.cafe.f00d", "1.2.3", "999.1.1.1", "\u0661.1.1.1"})
    void aNameSpeltInHexDigitsIsNoAddress(String name) {
        assertThat(Ssdp.isIpLiteral(name)).isFalse();
        byte[] named = new String(bytes("soap-get-external-ip.xml"), StandardCharsets.UTF_8).replace("10.99.0.1", name)
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SoapPortMapping.externalIpAddress(named)).isInstanceOf(PortMapException.class);
        String answer = "HTTP/1.1 200 OK\r\nLOCATION: http://" + name + ":5000/rootDesc.xml\r\n\r\n";
        assertThat(Ssdp.location(answer, InetAddress.getLoopbackAddress())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.168.77.1", "10.99.0.1", "::1", "[fe80::1]", "2001:db8::7"})
    void ipLiteralsAreAddresses(String literal) {
        assertThat(Ssdp.isIpLiteral(literal)).isTrue();
    }
}
