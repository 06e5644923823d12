package org.protoblock.p2p.peer;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * The operator's peer API (the node program's RPC: addnode, disconnectnode, setban, listbanned,
 * getpeerinfo). Blocking calls hop onto the peer manager's thread and wait at most
 * {@link #CALL_TIMEOUT}; a call that cannot be served throws {@link IllegalStateException}.
 *
 * <p>Threads: any caller thread but an event loop (ban removals write to the store); no state of
 * its own.
 */
public final class PeerOperator {
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** Operator peers ({@code addnode … add}) by address and by node id together. */
    public static final int MAX_ADDED_NODES = OutboundDialer.MAX_MANUAL;

    private final PeerHost host;
    private final OwnedExecutor executor;
    private final OutboundDialer dialer;
    private final PeerTable table;
    private final BanManager bans;

    PeerOperator(PeerHost host, OwnedExecutor executor, OutboundDialer dialer, PeerTable table, BanManager bans) {
        this.host = host;
        this.executor = executor;
        this.dialer = dialer;
        this.table = table;
        this.bans = bans;
    }

    /** {@code addnode add}: keep a link to {@code address}, reconnecting with backoff, never evicted. False when the list is full. */
    public boolean addNode(PeerAddress address) {
        return executor.call(() -> dialer.addManual(address), CALL_TIMEOUT);
    }

    /** {@code addnode <node id> add}: keep a link to that node wherever its signed record says it is. False when the list is full. */
    public boolean addNode(NodeId id) {
        return executor.call(() -> dialer.addManual(id), CALL_TIMEOUT);
    }

    /** {@code addnode remove}: stop reconnecting (an open link stays). */
    public boolean removeNode(PeerAddress address) {
        return executor.call(() -> dialer.removeManual(address), CALL_TIMEOUT);
    }

    /** {@code addnode <node id> remove}: stop reconnecting (an open link stays). */
    public boolean removeNode(NodeId id) {
        return executor.call(() -> dialer.removeManual(id), CALL_TIMEOUT);
    }

    /** {@code addnode onetry}: one dial, no retries. */
    public CompletableFuture<Session> connectOnce(PeerAddress address) {
        return host.dial(address);
    }

    /** {@code getaddednodeinfo}: the operator's peers, by address then by node id. */
    public List<AddedNode> addedNodes() {
        return executor.call(dialer::manualPeers, CALL_TIMEOUT);
    }

    /** {@code disconnectnode}: false if not connected. */
    public boolean disconnect(NodeId node) {
        Optional<Session> s = host.session(node);
        s.ifPresent(x -> x.disconnect(DisconnectReason.REQUESTED, "disconnected by the operator"));
        return s.isPresent();
    }

    /** {@code setban add}: bans a node id or host, persisted, and drops matching links. */
    public Ban ban(BanTarget target, Duration duration, String reason) {
        return bans.ban(target, duration, reason);
    }

    /** {@code setban remove}. */
    public boolean unban(BanTarget target) {
        return bans.unban(target);
    }

    /** {@code listbanned}. */
    public List<Ban> listBanned() {
        return bans.list();
    }

    /** {@code clearbanned}. */
    public void clearBanned() {
        bans.clear();
    }

    /** {@code getpeerinfo}: oldest link first. */
    public List<PeerInfo> peers() {
        return executor.call(table::infos, CALL_TIMEOUT);
    }
}
