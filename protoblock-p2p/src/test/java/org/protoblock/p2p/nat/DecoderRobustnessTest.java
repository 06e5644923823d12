package org.protoblock.p2p.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protoblock.p2p.nat.Captured.bytes;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random, truncated and bit-flipped gateway answers: every decoder either decodes or throws
 * {@link PortMapException} (a clear parse error), never anything else.
 */
class DecoderRobustnessTest {
    @FunctionalInterface
    interface Decoder {
        Object decode(byte[] input) throws PortMapException;
    }

    private static final URI LOCATION = URI.create("http://192.168.77.1:5000/rootDesc.xml");

    static Stream<Arguments> decoders() throws Exception {
        InetAddress gateway = InetAddress.getByName("192.168.77.1");
        return Stream.of(
                Arguments.of("pcp", "pcp-map-reply.bin", (Decoder) PcpMessages::decodeMapReply),
                Arguments.of("natpmp-external", "natpmp-external-reply.bin", (Decoder) NatPmpMessages::decodeExternalAddressReply),
                Arguments.of("natpmp-map", "natpmp-map-reply.bin", (Decoder) NatPmpMessages::decodeMapReply),
                Arguments.of("igd", "igd-description.xml", (Decoder) b -> IgdDescription.parse(b, LOCATION)),
                Arguments.of("soap-ip", "soap-get-external-ip.xml", (Decoder) SoapPortMapping::externalIpAddress),
                Arguments.of("soap-fault", "soap-add-port-mapping-refused.xml", (Decoder) SoapPortMapping::errorCode),
                Arguments.of("ssdp", "ssdp-response.txt", (Decoder) b -> Ssdp.location(new String(b, StandardCharsets.ISO_8859_1), gateway)));
    }

    static Stream<Arguments> decodersAndSeeds() throws Exception {
        return decoders().flatMap(d -> IntStream.range(0, 4).mapToObj(seed -> Arguments.of(d.get()[0], d.get()[1], d.get()[2], seed)));
    }

    @ParameterizedTest(name = "{0} seed {3}")
    @MethodSource("decodersAndSeeds")
    void randomMutationsOfCapturedAnswersFailOnlyWithParseErrors(String name, String resource, Decoder decoder, int seed) {
        byte[] captured = bytes(resource);
        SplittableRandom random = new SplittableRandom(seed * 7919L + name.hashCode());
        for (int i = 0; i < 500; i++) {
            byte[] input = switch (random.nextInt(3)) {
                case 0 -> Arrays.copyOf(captured, random.nextInt(captured.length + 1));
                case 1 -> {
                    byte[] flipped = captured.clone();
                    for (int f = random.nextInt(1, 8); f > 0; f--) {
                        flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                    yield flipped;
                }
                default -> {
                    byte[] noise = new byte[random.nextInt(0, 1200)];
                    random.nextBytes(noise);
                    yield noise;
                }
            };
            assertDecodesOrParseError(decoder, input);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decoders")
    void everyTruncationFailsOnlyWithParseErrors(String name, String resource, Decoder decoder) {
        byte[] captured = bytes(resource);
        for (int length = 0; length <= captured.length; length++) {
            assertDecodesOrParseError(decoder, Arrays.copyOf(captured, length));
        }
    }

    private static void assertDecodesOrParseError(Decoder decoder, byte[] input) {
        try {
            assertThat(decoder.decode(input)).isNotNull();
        } catch (PortMapException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
