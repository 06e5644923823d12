package org.protoblock.p2p.nat;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.protoblock.fuzz.AllocationBudget;

/**
 * What a gateway (or anything on the LAN that answers in its place) sends the port mapper: PCP and
 * NAT-PMP replies, SSDP search answers, the IGD description XML and SOAP answers. Properties: only
 * {@link PortMapException} escapes the decoders that declare it ({@code Ssdp.location} and the SOAP
 * fault readers declare none); no name lookup (a host is used only when it is an IP literal);
 * accepted control URLs are http on the description's host; allocation stays linear.
 */
class NatMessagesFuzzTest {
    static final InetAddress GATEWAY = address("192.168.1.1");
    static final URI LOCATION = URI.create("http://192.168.1.1:5000/rootDesc.xml");

    @FuzzTest(maxDuration = "10s")
    void pcpReply(byte[] reply) throws Exception {
        AllocationBudget.check(reply.length, 64, () -> {
            try {
                PcpMessages.MapReply r = PcpMessages.decodeMapReply(reply);
                assertThat(r.nonce()).hasSize(PcpMessages.NONCE_SIZE);
                assertThat(r.externalAddress()).isNotNull();
                assertThat(PcpMessages.resultName(r.resultCode())).isNotEmpty();
            } catch (PortMapException expected) {
                assertThat(expected.kind()).isNotNull();
            }
        });
    }

    @FuzzTest(maxDuration = "10s")
    void natPmpReply(byte[] reply) throws Exception {
        AllocationBudget.check(reply.length, 64, () -> {
            try {
                NatPmpMessages.MapReply r = NatPmpMessages.decodeMapReply(reply);
                assertThat(r.internalPort()).isBetween(0, 65535);
                assertThat(NatPmpMessages.resultName(r.resultCode())).isNotEmpty();
            } catch (PortMapException expected) {
                assertThat(expected.kind()).isNotNull();
            }
            try {
                assertThat(NatPmpMessages.decodeExternalAddressReply(reply).address()).isNotNull();
            } catch (PortMapException expected) {
                assertThat(expected.kind()).isNotNull();
            }
        });
    }

    @FuzzTest(maxDuration = "10s")
    void ssdpAnswer(byte[] datagram) throws Exception {
        AllocationBudget.check(datagram.length, 256, () -> {
            Optional<URI> location = Ssdp.location(new String(datagram, StandardCharsets.UTF_8), GATEWAY);
            location.ifPresent(uri -> {
                assertThat(uri.getScheme()).isEqualTo("http");
                assertAsciiLiteral(uri.getHost());
            });
        });
    }

    @FuzzTest(maxDuration = "10s")
    void igdDescription(byte[] xml) throws Exception {
        AllocationBudget.check(xml.length, 512, () -> {
            try {
                IgdDescription.Control control = IgdDescription.parse(xml, LOCATION);
                assertThat(control.controlUrl().getScheme()).isEqualTo("http");
                assertThat(control.controlUrl().getHost()).isEqualTo(LOCATION.getHost());
                assertThat(IgdDescription.SERVICE_TYPES).contains(control.serviceType());
            } catch (PortMapException expected) {
                assertThat(expected.kind()).isNotNull();
            }
        });
    }

    @FuzzTest(maxDuration = "10s")
    void soapAnswer(FuzzedDataProvider data) throws Exception {
        byte[] xml = data.consumeRemainingAsBytes();
        AllocationBudget.check(xml.length, 512, () -> {
            try {
                InetAddress external = SoapPortMapping.externalIpAddress(xml);
                assertThat(external.isAnyLocalAddress()).isFalse();
            } catch (PortMapException expected) {
                assertThat(expected.kind()).isNotNull();
            }
            SoapPortMapping.errorCode(xml);
            assertThat(SoapPortMapping.describeFault(xml)).isNotNull();
        });
    }

    static void assertAsciiLiteral(String host) {
        assertThat(host.chars().allMatch(c -> c < 128 && (Character.digit(c, 16) >= 0 || c == '.' || c == ':' || c == '[' || c == ']'))
                && (host.indexOf(':') >= 0 || host.chars().filter(c -> c == '.').count() == 3)
                && host.chars().filter(c -> c == '.').allMatch(c -> true))
                .as("host %s is an IP literal", host).isTrue();
    }

    static InetAddress address(String ip) {
        try {
            return InetAddress.getByAddress(ip, InetAddress.getByName(ip).getAddress());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
