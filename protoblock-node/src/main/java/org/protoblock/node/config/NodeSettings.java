package org.protoblock.node.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code protoblock node} was told, after precedence was applied.
 *
 * @param genesis     a genesis file to use; empty: the data dir's copy, else mainnet
 * @param producerKey a key file; the chain produces only if it is one of the network's producers
 * @param lan         LAN discovery: send and listen for multicast beacons on the local network
 * @param portMapping {@code nat = auto}: ask the gateway (PCP, NAT-PMP, UPnP-IGD) to forward the P2P port
 * @param rpcHosts    names besides the RPC host and localhost that requests may carry in Host ({@code *}: any)
 * @param rpcOrigins  web origins besides the node's own whose pages may call the RPC ({@code *}: any)
 */
public record NodeSettings(Path dataDir, Optional<Path> genesis, HostPort listen, HostPort rpc, List<HostPort> seeds,
                           Optional<Path> producerKey, String logLevel, boolean lan, boolean portMapping, List<String> rpcHosts,
                           List<String> rpcOrigins) {
    public static final HostPort DEFAULT_LISTEN = new HostPort("0.0.0.0", 8125);
    public static final HostPort DEFAULT_RPC = new HostPort("127.0.0.1", 8080);
    public static final String DEFAULT_LOG_LEVEL = "INFO";

    public NodeSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(genesis, "genesis");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(rpc, "rpc");
        Objects.requireNonNull(producerKey, "producerKey");
        Objects.requireNonNull(logLevel, "logLevel");
        seeds = List.copyOf(seeds);
        rpcHosts = List.copyOf(rpcHosts);
        rpcOrigins = List.copyOf(rpcOrigins);
    }
}
