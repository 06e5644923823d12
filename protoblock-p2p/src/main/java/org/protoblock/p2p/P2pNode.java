package org.protoblock.p2p;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.protoblock.chain.service.Chain;
import org.protoblock.p2p.chain.ChainInfoAdapter;
import org.protoblock.p2p.host.P2pConfig;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.peer.BanHook;
import org.protoblock.p2p.peer.PeerScores;
import org.protoblock.p2p.protocol.Protocol;
import org.protoblock.p2p.session.PeerEvents;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chain joined to the network: the {@link PeerHost} (links) plus every p2p {@link Protocol}
 * running over it. Integration tests, the simulator and the node program build nodes with it.
 *
 * <p>Ownership: the host owns links; each protocol owns its state on its own executor; the chain
 * owns chain state. This class only wires and closes them, in reverse order of creation.
 */
public final class P2pNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(P2pNode.class);

    private final Chain chain;
    private final PeerHost host;
    private final PeerScores scores;
    private final P2pMetrics metrics = new P2pMetrics();
    private final List<Protocol> protocols = new ArrayList<>();
    private final List<AutoCloseable> registrations = new ArrayList<>();

    private P2pNode(Chain chain, NodeKey key, Transport transport, P2pConfig config, BanHook banHook) {
        this.chain = chain;
        PeerEvents events = new PeerEvents();
        this.host = new PeerHost(key, new ChainInfoAdapter(chain), transport, config, events);
        this.scores = new PeerScores(banHook);
        // Protocols, in the order they see peer events.
        for (Protocol protocol : protocols) {
            registrations.add(events.register(protocol, protocol.messageTypes()));
        }
    }

    public static P2pNode create(Chain chain, NodeKey key, Transport transport, P2pConfig config) {
        return new P2pNode(chain, key, transport, config, BanHook.NONE);
    }

    public static P2pNode create(Chain chain, NodeKey key, Transport transport, P2pConfig config, BanHook banHook) {
        return new P2pNode(chain, key, transport, config, banHook);
    }

    public CompletableFuture<PeerAddress> listen(PeerAddress address) {
        return host.listen(address);
    }

    public CompletableFuture<Session> dial(PeerAddress address) {
        return host.dial(address);
    }

    public Chain chain() {
        return chain;
    }

    public PeerHost host() {
        return host;
    }

    public PeerScores scores() {
        return scores;
    }

    public P2pMetrics metrics() {
        return metrics;
    }

    /** Closes the links first (so no protocol sees new events), then the protocols. The chain stays open: its owner closes it. */
    @Override
    public void close() {
        host.close();
        for (AutoCloseable registration : registrations) {
            try {
                registration.close();
            } catch (Exception e) {
                log.debug("unregister failed", e);
            }
        }
        for (int i = protocols.size() - 1; i >= 0; i--) {
            protocols.get(i).close();
        }
    }
}
