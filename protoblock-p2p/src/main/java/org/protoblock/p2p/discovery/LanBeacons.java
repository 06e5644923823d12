package org.protoblock.p2p.discovery;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.protoblock.p2p.discovery.proto.LanBeacon;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * Encodes and checks LAN beacons: 4-byte magic {@code PBLN}, then a {@link LanBeacon}. A beacon is
 * bound to one network (network id and the first 8 bytes of the genesis id must match ours). It is
 * not signed: the node id it names is only dialed with that expected id, so a forged beacon costs
 * us one failed dial (and beacons are rate limited).
 */
public final class LanBeacons {
    public static final int VERSION = 1;
    public static final int MAX_BYTES = 1200;
    private static final byte[] MAGIC = "PBLN".getBytes(StandardCharsets.US_ASCII);
    private static final int GENESIS_PREFIX = 8;

    /** A node announced by a beacon, with the address to dial it at. */
    public record Found(NodeId nodeId, PeerAddress address) {
    }

    private final String networkId;
    private final byte[] genesisPrefix;
    private final NodeId self;

    public LanBeacons(String networkId, String genesisHex, NodeId self) {
        this.networkId = networkId;
        this.genesisPrefix = Arrays.copyOf(HexFormat.of().parseHex(genesisHex), GENESIS_PREFIX);
        this.self = self;
    }

    /** Our beacon: the listen port (TCP) and, on in-process networks, the local names. */
    public byte[] encode(int listenPort, List<PeerAddress> localAddresses) {
        LanBeacon.Builder b = LanBeacon.newBuilder().setVersion(VERSION).setNetworkId(networkId)
                .setGenesisPrefix(ByteString.copyFrom(genesisPrefix)).setNodeId(ByteString.copyFrom(self.toBytes()))
                .setListenPort(listenPort);
        localAddresses.stream().limit(4).forEach(a -> b.addLocalAddresses(a.toString()));
        byte[] body = b.build().toByteArray();
        byte[] out = new byte[MAGIC.length + body.length];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        System.arraycopy(body, 0, out, MAGIC.length, body.length);
        return out;
    }

    /**
     * Checks a received packet from {@code source}; empty for foreign, malformed or our own beacons.
     * TCP addresses are built from the packet's source address (never from the payload), so a beacon
     * cannot point us at a third party.
     */
    public Optional<Found> decode(byte[] packet, int length, InetAddress source, String scheme) {
        if (length <= MAGIC.length || length > MAX_BYTES || !Arrays.equals(packet, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return Optional.empty();
        }
        LanBeacon beacon;
        try {
            beacon = LanBeacon.parseFrom(ByteString.copyFrom(packet, MAGIC.length, length - MAGIC.length));
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
        if (beacon.getVersion() != VERSION || !networkId.equals(beacon.getNetworkId())
                || !Arrays.equals(genesisPrefix, beacon.getGenesisPrefix().toByteArray())
                || beacon.getNodeId().size() != NodeId.BYTES) {
            return Optional.empty();
        }
        NodeId id = NodeId.fromBytes(beacon.getNodeId().toByteArray());
        if (id.equals(self)) {
            return Optional.empty();
        }
        if (PeerAddress.TCP.equals(scheme)) {
            int port = beacon.getListenPort();
            if (port < 1 || port > 65535) {
                return Optional.empty();
            }
            PeerAddress a = PeerAddress.tcp(source.getHostAddress(), port);
            return AddressRules.acceptable(a, scheme) ? Optional.of(new Found(id, a)) : Optional.empty();
        }
        return beacon.getLocalAddressesList().stream().map(PeerAddress::parse).flatMap(Optional::stream)
                .filter(a -> AddressRules.acceptable(a, scheme)).findFirst().map(a -> new Found(id, a));
    }
}
