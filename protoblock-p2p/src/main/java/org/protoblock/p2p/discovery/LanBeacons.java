package org.protoblock.p2p.discovery;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.protoblock.p2p.discovery.proto.LanBeacon;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * Encodes and checks LAN beacons: 4-byte magic {@code PBLN}, then a {@link LanBeacon}. A beacon is
 * bound to one network (network id and the first 8 bytes of the genesis id must match ours). It is
 * not signed: the node id it names is only dialed with that expected id, so a forged beacon costs
 * us one failed dial (and beacons are rate limited).
 *
 * <p>Only beacons from LAN-scoped sources count: a loopback, private or link-local source address, or
 * one of this host's own. Rationale: the receiving socket is bound to the wildcard address, so any
 * host on the Internet can send it unicast datagrams; a multicast beacon (TTL 1) never comes from farther.
 *
 * <p>Dial addresses (TCP) come from the beacon's listen addresses and the packet's source address,
 * so a beacon cannot point us at a third party:
 * <ul>
 *   <li>wildcard listen host (0.0.0.0, ::): the source address with the advertised port;</li>
 *   <li>loopback listen host: that loopback address, only when the source is one of this host's own
 *       addresses (the sender runs on this machine). Rationale: a multicast packet leaves by a
 *       real interface, so its source is never the loopback address the node listens on;</li>
 *   <li>another specific host: used when it is the source, or the source is one of ours.</li>
 * </ul>
 * A version 1 beacon (port only) reads as a wildcard listener. At most
 * {@link #MAX_LISTEN_ADDRESSES} listen addresses are sent and read.
 */
public final class LanBeacons {
    public static final int VERSION = 2;
    public static final int MIN_VERSION = 1;
    public static final int MAX_BYTES = 1200;
    public static final int MAX_LISTEN_ADDRESSES = 4;
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

    /** Our beacon, naming our listen addresses (TCP ones, and local:// names on in-process networks). */
    public byte[] encode(List<PeerAddress> listenAddresses) {
        LanBeacon.Builder b = LanBeacon.newBuilder().setVersion(VERSION).setNetworkId(networkId)
                .setGenesisPrefix(ByteString.copyFrom(genesisPrefix)).setNodeId(ByteString.copyFrom(self.toBytes()));
        listenAddresses.stream().filter(a -> PeerAddress.TCP.equals(a.scheme()) && a.port() > 0)
                .limit(MAX_LISTEN_ADDRESSES).forEach(a -> {
                    if (b.getListenPort() == 0) {
                        b.setListenPort(a.port()); // what a version 1 reader looks at
                    }
                    b.addListenAddresses(a.toString());
                });
        listenAddresses.stream().filter(a -> PeerAddress.LOCAL.equals(a.scheme()))
                .limit(MAX_LISTEN_ADDRESSES).forEach(a -> b.addLocalAddresses(a.toString()));
        byte[] body = b.build().toByteArray();
        byte[] out = new byte[MAGIC.length + body.length];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        System.arraycopy(body, 0, out, MAGIC.length, body.length);
        return out;
    }

    /**
     * Checks a received packet from {@code source}; empty for foreign, malformed or our own beacons,
     * or when no listen address gives a dial address by the rules above. {@code ownAddress} says
     * whether an address is one of this host's interface addresses.
     */
    public Optional<Found> decode(byte[] packet, int length, InetAddress source, String scheme,
                                  Predicate<InetAddress> ownAddress) {
        if (length <= MAGIC.length || length > MAX_BYTES || !Arrays.equals(packet, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return Optional.empty();
        }
        LanBeacon beacon;
        try {
            beacon = LanBeacon.parseFrom(ByteString.copyFrom(packet, MAGIC.length, length - MAGIC.length));
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
        if (beacon.getVersion() < MIN_VERSION || !networkId.equals(beacon.getNetworkId())
                || !Arrays.equals(genesisPrefix, beacon.getGenesisPrefix().toByteArray())
                || beacon.getNodeId().size() != NodeId.BYTES) {
            return Optional.empty();
        }
        NodeId id = NodeId.fromBytes(beacon.getNodeId().toByteArray());
        if (id.equals(self)) {
            return Optional.empty();
        }
        if (PeerAddress.TCP.equals(scheme)) {
            boolean sameHost = source.isLoopbackAddress() || ownAddress.test(source);
            if (!sameHost && !IpLiterals.isLocal(source.getHostAddress())) {
                return Optional.empty(); // not from the LAN: the port is open to unicast from anywhere
            }
            List<PeerAddress> listen = new ArrayList<>();
            beacon.getListenAddressesList().stream().limit(MAX_LISTEN_ADDRESSES).map(PeerAddress::parse)
                    .flatMap(Optional::stream).filter(a -> PeerAddress.TCP.equals(a.scheme())).forEach(listen::add);
            if (listen.isEmpty() && beacon.getListenPort() > 0 && beacon.getListenPort() <= 65535) {
                listen.add(PeerAddress.tcp("0.0.0.0", beacon.getListenPort())); // version 1: port only
            }
            for (PeerAddress a : listen) {
                Optional<PeerAddress> dial = dialAddress(a, source, sameHost).filter(x -> AddressRules.acceptable(x, scheme));
                if (dial.isPresent()) {
                    return Optional.of(new Found(id, dial.get()));
                }
            }
            return Optional.empty();
        }
        return beacon.getLocalAddressesList().stream().limit(MAX_LISTEN_ADDRESSES).map(PeerAddress::parse)
                .flatMap(Optional::stream).filter(a -> AddressRules.acceptable(a, scheme)).findFirst()
                .map(a -> new Found(id, a));
    }

    /** The address to dial a node that listens on {@code listen} and sent its beacon from {@code source}. */
    static Optional<PeerAddress> dialAddress(PeerAddress listen, InetAddress source, boolean sameHost) {
        if (listen.port() < 1 || listen.port() > 65535) {
            return Optional.empty();
        }
        if (IpLiterals.isUnspecified(listen.host())) {
            return Optional.of(PeerAddress.tcp(source.getHostAddress(), listen.port()));
        }
        Optional<InetAddress> host = IpLiterals.toInetAddress(listen.host());
        if (host.isEmpty()) {
            return Optional.empty(); // a name: we never look names up for others
        }
        if (host.get().isLoopbackAddress()) {
            return sameHost ? Optional.of(listen) : Optional.empty();
        }
        return host.get().equals(source) || sameHost ? Optional.of(listen) : Optional.empty();
    }
}
