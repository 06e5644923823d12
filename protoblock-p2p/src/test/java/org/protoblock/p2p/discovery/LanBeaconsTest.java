package org.protoblock.p2p.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.discovery.proto.LanBeacon;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.transport.PeerAddress;

/** Which address a beacon yields, from its listen addresses and the packet's source (issue 9). */
class LanBeaconsTest {
    private static final String GENESIS = "11".repeat(32);
    private static final NodeId ME = new NodeId("a".repeat(64));
    private static final NodeId OTHER = new NodeId("b".repeat(64));
    private static final LanBeacons MINE = new LanBeacons("devnet-1", GENESIS, ME);
    private static final InetAddress HOST = literal("192.0.2.2");
    private static final InetAddress NEIGHBOUR = literal("192.168.0.7");
    private static final Predicate<InetAddress> OURS = Set.of(HOST, literal("127.0.0.1"))::contains;

    private static InetAddress literal(String ip) {
        return IpLiterals.toInetAddress(ip).orElseThrow();
    }

    private static Optional<PeerAddress> found(List<PeerAddress> listen, InetAddress source) {
        byte[] beacon = new LanBeacons("devnet-1", GENESIS, OTHER).encode(listen);
        return MINE.decode(beacon, beacon.length, source, PeerAddress.TCP, OURS).map(f -> {
            assertThat(f.nodeId()).isEqualTo(OTHER);
            return f.address();
        });
    }

    @Test
    void aLoopbackListenerOnThisHostIsDialedOnLoopbackNotAtTheInterfaceAddress() {
        // the failure of issue 9: the beacon leaves by eth0, so its source is 192.0.2.2
        assertThat(found(List.of(PeerAddress.tcp("127.0.0.1", 19104)), HOST)).contains(PeerAddress.tcp("127.0.0.1", 19104));
    }

    @Test
    void aLoopbackListenerOnAnotherHostIsUnreachable() {
        assertThat(found(List.of(PeerAddress.tcp("127.0.0.1", 19104)), NEIGHBOUR)).isEmpty();
    }

    @Test
    void aWildcardListenerIsDialedAtTheSourceAddress() {
        assertThat(found(List.of(PeerAddress.tcp("0.0.0.0", 9000)), NEIGHBOUR)).contains(PeerAddress.tcp("192.168.0.7", 9000));
    }

    @Test
    void aSpecificListenerIsUsedWhenItIsTheSourceOrTheSenderIsOnThisHost() {
        assertThat(found(List.of(PeerAddress.tcp("192.168.0.7", 9000)), NEIGHBOUR)).contains(PeerAddress.tcp("192.168.0.7", 9000));
        assertThat(found(List.of(PeerAddress.tcp("10.1.1.1", 9000)), HOST)).contains(PeerAddress.tcp("10.1.1.1", 9000));
        // a neighbour cannot point us at a third party
        assertThat(found(List.of(PeerAddress.tcp("8.8.8.8", 9000)), NEIGHBOUR)).isEmpty();
    }

    @Test
    void theFirstUsableListenAddressWins() {
        assertThat(found(List.of(PeerAddress.tcp("127.0.0.1", 1), PeerAddress.tcp("0.0.0.0", 2)), NEIGHBOUR))
                .contains(PeerAddress.tcp("192.168.0.7", 2));
    }

    @Test
    void aVersionOneBeaconReadsAsAWildcardListener() {
        LanBeacon v1 = LanBeacon.newBuilder().setVersion(1).setNetworkId("devnet-1")
                .setGenesisPrefix(com.google.protobuf.ByteString.copyFrom(java.util.HexFormat.of().parseHex(GENESIS), 0, 8))
                .setNodeId(com.google.protobuf.ByteString.copyFrom(OTHER.toBytes())).setListenPort(9000).build();
        byte[] body = v1.toByteArray();
        byte[] packet = new byte[4 + body.length];
        System.arraycopy("PBLN".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, packet, 0, 4);
        System.arraycopy(body, 0, packet, 4, body.length);
        assertThat(MINE.decode(packet, packet.length, NEIGHBOUR, PeerAddress.TCP, OURS).map(LanBeacons.Found::address))
                .contains(PeerAddress.tcp("192.168.0.7", 9000));
    }

    @Test
    void listenAddressesAreBounded() {
        List<PeerAddress> many = new java.util.ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            many.add(PeerAddress.tcp("8.8.8." + i, 9000));
        }
        many.add(PeerAddress.tcp("0.0.0.0", 9000));
        assertThat(found(many, NEIGHBOUR)).isEmpty(); // the wildcard is the 11th: never sent
    }

    @Test
    void beaconsCountOnlyFromLanScopedSources() {
        List<PeerAddress> wildcard = List.of(PeerAddress.tcp("0.0.0.0", 9000));
        // unicast to our wildcard-bound port from the Internet: ignored
        assertThat(found(wildcard, literal("203.0.113.5"))).isEmpty();
        assertThat(found(wildcard, literal("2001:db8::5"))).isEmpty();
        // private, link-local and this host's own addresses count
        assertThat(found(wildcard, literal("10.4.4.4"))).contains(PeerAddress.tcp("10.4.4.4", 9000));
        assertThat(found(wildcard, literal("169.254.9.9"))).contains(PeerAddress.tcp("169.254.9.9", 9000));
        assertThat(found(wildcard, HOST)).contains(PeerAddress.tcp("192.0.2.2", 9000));
    }
}
