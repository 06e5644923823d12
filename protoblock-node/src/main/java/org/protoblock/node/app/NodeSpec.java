package org.protoblock.node.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.network.NetworkParams;
import org.protoblock.node.config.HostPort;
import org.protoblock.node.rpc.RpcAccess;
import org.protoblock.node.sp.SpSettings;
import org.protoblock.p2p.peer.PeerConfig;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.transport.Transport;

/**
 * How to run one node in this JVM (the {@code node} command runs one, {@code devnet} several).
 *
 * @param nextFreePort     when a configured port is taken, use the next free one (port 0: any)
 * @param sharedTransport  a transport owned by the caller (devnet: one for all nodes); empty: the node makes its own TCP transport
 * @param requireRpcToken  require the token even on loopback (tests of the non-loopback rule)
 * @param peerManagement   discovery and connection management (address book, LAN beacons, peer
 *                         exchange, anchors, bans, seeds); empty: the node dials nobody on its own
 *                         (tests whose topology is built by hand), so it takes no seeds
 * @param sp               the nanomsg/nng-compatible endpoints (off unless asked for)
 * @param rpcAccess        names and web origins, besides the node's own, that may reach the RPC port
 */
public record NodeSpec(NetworkParams network, Path dataDir, HostPort listen, HostPort rpc, boolean nextFreePort,
                       List<PeerAddress> seeds, Optional<KeyPair> producerKey, Duration producerInterval,
                       Optional<Transport> sharedTransport, boolean requireRpcToken, String agent,
                       Optional<PeerConfig> peerManagement, SpSettings sp, RpcAccess rpcAccess) {
    public static final Duration PRODUCER_INTERVAL = Duration.ofSeconds(1);
    public static final String AGENT = "protoblock-node/0.1.0";

    public NodeSpec {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(rpc, "rpc");
        Objects.requireNonNull(producerKey, "producerKey");
        Objects.requireNonNull(producerInterval, "producerInterval");
        Objects.requireNonNull(sharedTransport, "sharedTransport");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(peerManagement, "peerManagement");
        Objects.requireNonNull(sp, "sp");
        Objects.requireNonNull(rpcAccess, "rpcAccess");
        seeds = List.copyOf(seeds);
        if (!seeds.isEmpty() && peerManagement.isEmpty()) {
            throw new IllegalArgumentException("seeds are dialed by peer management: give a PeerConfig");
        }
    }

    /** With only the node's own RPC access. */
    public NodeSpec(NetworkParams network, Path dataDir, HostPort listen, HostPort rpc, boolean nextFreePort,
                    List<PeerAddress> seeds, Optional<KeyPair> producerKey, Duration producerInterval,
                    Optional<Transport> sharedTransport, boolean requireRpcToken, String agent,
                    Optional<PeerConfig> peerManagement, SpSettings sp) {
        this(network, dataDir, listen, rpc, nextFreePort, seeds, producerKey, producerInterval, sharedTransport,
                requireRpcToken, agent, peerManagement, sp, RpcAccess.ownOnly());
    }

    /** Without the SP endpoints. */
    public NodeSpec(NetworkParams network, Path dataDir, HostPort listen, HostPort rpc, boolean nextFreePort,
                    List<PeerAddress> seeds, Optional<KeyPair> producerKey, Duration producerInterval,
                    Optional<Transport> sharedTransport, boolean requireRpcToken, String agent,
                    Optional<PeerConfig> peerManagement) {
        this(network, dataDir, listen, rpc, nextFreePort, seeds, producerKey, producerInterval, sharedTransport,
                requireRpcToken, agent, peerManagement, SpSettings.off());
    }

    /** Loopback ports chosen by the OS, no seeds, no producer: tests and devnet start here. */
    public static NodeSpec local(NetworkParams network, Path dataDir) {
        HostPort any = new HostPort("127.0.0.1", 0);
        return new NodeSpec(network, dataDir, any, any, false, List.of(), Optional.empty(), PRODUCER_INTERVAL,
                Optional.empty(), false, AGENT, Optional.empty(), SpSettings.off());
    }

    public NodeSpec withProducer(KeyPair key) {
        return new NodeSpec(network, dataDir, listen, rpc, nextFreePort, seeds, Optional.of(key), producerInterval,
                sharedTransport, requireRpcToken, agent, peerManagement, sp, rpcAccess);
    }

    public NodeSpec withTransport(Transport transport) {
        return new NodeSpec(network, dataDir, listen, rpc, nextFreePort, seeds, producerKey, producerInterval,
                Optional.of(transport), requireRpcToken, agent, peerManagement, sp, rpcAccess);
    }

    public NodeSpec withRequireRpcToken(boolean require) {
        return new NodeSpec(network, dataDir, listen, rpc, nextFreePort, seeds, producerKey, producerInterval,
                sharedTransport, require, agent, peerManagement, sp, rpcAccess);
    }

    /** Peer management as {@code config} says, with its seeds. */
    public NodeSpec withPeerManagement(PeerConfig config) {
        return new NodeSpec(network, dataDir, listen, rpc, nextFreePort, config.dialer().seeds(), producerKey,
                producerInterval, sharedTransport, requireRpcToken, agent, Optional.of(config), sp, rpcAccess);
    }

    public NodeSpec withRpcAccess(RpcAccess access) {
        return new NodeSpec(network, dataDir, listen, rpc, nextFreePort, seeds, producerKey, producerInterval,
                sharedTransport, requireRpcToken, agent, peerManagement, sp, access);
    }

    public NodeSpec withSp(SpSettings newSp) {
        return new NodeSpec(network, dataDir, listen, rpc, nextFreePort, seeds, producerKey, producerInterval,
                sharedTransport, requireRpcToken, agent, peerManagement, newSp, rpcAccess);
    }
}
