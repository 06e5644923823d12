package org.protoblock.bench.sim;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.service.ChainConfig;
import org.protoblock.chain.service.ChainListener;
import org.protoblock.chain.store.InMemoryChainStore;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.p2p.P2pNode;
import org.protoblock.p2p.gossip.GossipConfig;
import org.protoblock.p2p.host.P2pConfig;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.peer.PeerConfig;
import org.protoblock.p2p.transport.InProcessTransport;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * One simulated node: a real {@link Chain} on an in-memory store and a real {@link P2pNode}
 * (sessions, gossip, sync, peer management) dialing through the simulated network. Its chain
 * events go to the run's {@link Observations}.
 *
 * <p>Threads: started and stopped by the simulator's thread; the node's own components own their
 * threads as in a real node.
 */
final class SimNode {
    private final int index;
    private final String name;
    private final Chain chain;
    private final P2pNode p2p;
    private final PeerAddress address;

    private SimNode(int index, String name, Chain chain, P2pNode p2p, PeerAddress address) {
        this.index = index;
        this.name = name;
        this.chain = chain;
        this.p2p = p2p;
        this.address = address;
    }

    /** Opens the chain, listens as {@code local://name}, starts peer management. */
    static SimNode start(int index, String name, ChainConfig chainConfig, InProcessTransport transport, SimNetwork network,
                         P2pConfig p2pConfig, PeerConfig peerConfig, GossipConfig gossip, Observations observations)
            throws Exception {
        network.register(name, index);
        Chain chain = Chain.open(chainConfig, new InMemoryChainStore());
        chain.addListener(new ChainListener() {
            @Override
            public void onHeadChanged(AddOutcome outcome) {
                long now = System.nanoTime();
                for (ChainBlock block : outcome.connected()) {
                    observations.blockConnected(block.id(), index, now);
                }
            }

            @Override
            public void onTransactionAccepted(ChainTransaction tx) {
                observations.txAccepted(tx.id(), index, System.nanoTime());
            }
        });
        P2pNode p2p = P2pNode.create(chain, NodeKey.generate(), transport.shapedFor(name, network), p2pConfig, peerConfig,
                gossip);
        PeerAddress address = p2p.listen(PeerAddress.local(name)).get(60, TimeUnit.SECONDS); // event loops busy with handshakes
        p2p.start();
        return new SimNode(index, name, chain, p2p, address);
    }

    int index() {
        return index;
    }

    String name() {
        return name;
    }

    Chain chain() {
        return chain;
    }

    P2pNode p2p() {
        return p2p;
    }

    PeerAddress address() {
        return address;
    }

    /** Closes links and protocols, then the chain. */
    void stop() {
        p2p.close();
        chain.close();
    }

    static List<PeerAddress> addresses(List<SimNode> nodes) {
        return nodes.stream().map(SimNode::address).toList();
    }
}
