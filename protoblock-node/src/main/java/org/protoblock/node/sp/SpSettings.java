package org.protoblock.node.sp;

import java.util.Objects;
import java.util.Optional;
import org.protoblock.node.config.HostPort;

/**
 * Which nanomsg/nng-compatible endpoints a node offers (see README, "nng/nanomsg endpoints").
 *
 * @param enabled        off: none of them (and no /sp/ paths on the RPC port)
 * @param rep            a TCP port of its own for the seed's REP service
 * @param p2pPort        the seed's REP service on the P2P port too, as the seed served it (port unification)
 * @param blocks         PUB of new main-chain blocks (the seed's 8126)
 * @param txs            PUB of new mempool transactions (the seed's 8127)
 * @param submit         REP taking a SignedTransaction (8128)
 * @param ipc            also listen on ipc:// sockets in {@code <data-dir>/sp/}
 * @param maxSubscribers per PUB topic, over all transports
 */
public record SpSettings(boolean enabled, Optional<HostPort> rep, boolean p2pPort, HostPort blocks, HostPort txs, HostPort submit,
                         boolean ipc, int maxSubscribers) {
    public static final int BLOCKS_PORT = 8126;
    public static final int TXS_PORT = 8127;
    public static final int SUBMIT_PORT = 8128;
    public static final int MAX_SUBSCRIBERS = 1024;

    public SpSettings {
        Objects.requireNonNull(rep, "rep");
        Objects.requireNonNull(blocks, "blocks");
        Objects.requireNonNull(txs, "txs");
        Objects.requireNonNull(submit, "submit");
        if (maxSubscribers < 1) {
            throw new IllegalArgumentException("maxSubscribers must be positive");
        }
    }

    /** The seed's layout on {@code host}: REP on the P2P port, PUB blocks 8126, PUB transactions 8127, submit 8128, ipc on. */
    public static SpSettings defaults(String host) {
        return new SpSettings(true, Optional.empty(), true, new HostPort(host, BLOCKS_PORT), new HostPort(host, TXS_PORT),
                new HostPort(host, SUBMIT_PORT), true, MAX_SUBSCRIBERS);
    }

    /** Everything on loopback ports chosen by the OS, REP on a port of its own too (tests). */
    public static SpSettings local() {
        HostPort any = new HostPort("127.0.0.1", 0);
        return new SpSettings(true, Optional.of(any), true, any, any, any, true, MAX_SUBSCRIBERS);
    }

    public static SpSettings off() {
        HostPort any = new HostPort("127.0.0.1", 0);
        return new SpSettings(false, Optional.empty(), false, any, any, any, false, MAX_SUBSCRIBERS);
    }
}
