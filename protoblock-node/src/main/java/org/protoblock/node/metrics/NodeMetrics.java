package org.protoblock.node.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;
import org.protoblock.chain.service.Chain;
import org.protoblock.node.status.ChainStats;
import org.protoblock.p2p.P2pNode;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.reachability.Reachability;
import org.protoblock.p2p.relay.RelayService;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.session.LinkFailure;
import org.protoblock.p2p.session.PeerListener;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.sync.SyncManager;
import org.protoblock.p2p.sync.SyncProgress;

/**
 * The node's Prometheus metrics ({@code GET /metrics} on the RPC port). Gauges read live state
 * (peers, head, mempool, store size, sync progress); counters read the chain's and p2p's running
 * totals, so nothing is counted twice. Handshake failures and disconnects are counted here, by
 * reason, from the peer events ({@link PeerListener} on the event loops: increments only). The
 * JVM's own metrics (Micrometer's binders: {@code jvm_memory_used_bytes} by pool, GC pauses and
 * {@code jvm_gc_live_data_size_bytes}, threads, classes) come along, for soaks and dashboards.
 * Close it with the node: the GC binder listens to the JVM's GC notifications.
 */
public final class NodeMetrics implements PeerListener, AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    public NodeMetrics(Chain chain, P2pNode p2p, ChainStats stats) {
        SyncManager sync = p2p.sync();
        var network = chain.config().network();
        registry.config().commonTags("network", network.networkId());

        gauge("protoblock.peers", "Established peer sessions", p2p, n -> count(n, Direction.INBOUND), "direction", "in");
        gauge("protoblock.peers", "Established peer sessions", p2p, n -> count(n, Direction.OUTBOUND), "direction", "out");
        gauge("protoblock.handshakes.pending", "Links still in their handshake", p2p, n -> n.host().pendingHandshakes());
        gauge("protoblock.chain.height", "Head block num", chain, c -> c.head().num());
        gauge("protoblock.mempool.size", "Transactions in the mempool", chain, Chain::mempoolSize);
        gauge("protoblock.mempool.bytes", "Serialized bytes in the mempool", chain, Chain::mempoolBytes);
        gauge("protoblock.store.size.bytes", "Approximate store size on disk", chain, Chain::storeSizeBytes);
        gauge("protoblock.sync.progress", "Share of the current sync done, 0..1 (1 when idle)", sync, s -> s.progress().percent() / 100);
        gauge("protoblock.sync.target", "Height the current sync is heading for (0 when idle)", sync, s -> s.progress().targetNum());
        gauge("protoblock.sync.syncing", "1 while syncing", sync, s -> s.progress().state() == SyncProgress.State.SYNCING ? 1 : 0);
        gauge("protoblock.sync.blocks.per.second", "Blocks applied per second by sync (EWMA)", sync, s -> s.progress().blocksPerSecond());

        counter("protoblock.blocks.connected", "Blocks applied to the main chain (rate = blocks/s)", stats.blocksConnected);
        counter("protoblock.blocks.disconnected", "Blocks rolled back by reorgs", stats.blocksDisconnected);
        counter("protoblock.reorgs", "Reorganisations of the main chain", stats.reorgs);
        counter("protoblock.transactions.included", "Transactions in connected blocks, net of reorgs (rate = tx/s)", stats.txsIncluded);
        counter("protoblock.transactions.accepted", "Transactions accepted into the mempool", stats.txsAccepted);
        counter("protoblock.transactions.expired", "Transactions expired from the mempool", stats.txsExpired);
        counter("protoblock.blocks.produced", "Blocks this node produced", chain, Chain::blocksProduced);

        P2pMetrics m = p2p.metrics();
        counter("protoblock.p2p.tx.bodies.received", "Transaction bodies received from peers, duplicates included", m.txBodiesReceived);
        counter("protoblock.p2p.tx.bodies.duplicate", "Transaction bodies received that we already had", m.txBodiesDuplicate);
        counter("protoblock.p2p.blocks.received", "Block bodies received (sync and gossip)", m.blocksReceived);
        counter("protoblock.p2p.blocks.duplicate", "Block bodies received that we already had", m.blocksDuplicate);
        counter("protoblock.p2p.compact.blocks.rebuilt", "Blocks rebuilt from compact announcements", m.compactBlocksRebuilt);
        counter("protoblock.p2p.blocks.synced", "Blocks applied by sync", m.blocksSynced);
        counter("protoblock.p2p.announcements.received", "Inventory items received", m.announcementsReceived);
        counter("protoblock.p2p.announcements.sent", "Inventory items sent", m.announcementsSent);
        counter("protoblock.p2p.body.bytes.received", "Bytes of transaction and block bodies received", m.bodyBytesReceived);
        counter("protoblock.p2p.gossip.bytes.received", "Bytes of gossip envelopes received", m.gossipBytesReceived);
        counter("protoblock.p2p.headers.received", "Headers received and validated by sync", m.headersReceived);
        counter("protoblock.p2p.sync.requests.timed.out", "Sync block requests that timed out", m.syncRequestsTimedOut);
        counter("protoblock.p2p.headers.served", "Headers served to peers", m.headersServed);
        counter("protoblock.p2p.blocks.served", "Blocks served to peers", m.blocksServed);
        for (Reachability.State state : Reachability.State.values()) {
            gauge("protoblock.p2p.reachability", "1 for the node's current reachability (dial-back checks), 0 for the others",
                    p2p, n -> n.reachability().current().state() == state ? 1 : 0, "state", state.wireName());
        }
        gauge("protoblock.p2p.external.addresses", "Addresses of ours that peers verified they can dial", p2p,
                n -> n.reachability().current().verified().size());
        gauge("protoblock.p2p.port.mapping", "1 while the gateway maps our P2P port", p2p,
                n -> n.reachability().current().mapping().isPresent() ? 1 : 0);
        counter("protoblock.p2p.dialbacks.requested", "Dial-backs we asked peers for", m.dialBacksRequested);
        counter("protoblock.p2p.dialbacks.confirmed", "Dial-backs that reached us with their nonce", m.dialBacksConfirmed);
        counter("protoblock.p2p.dialbacks.served", "Dial-backs we ran for peers that reached them", m.dialBacksSucceeded);
        counter("protoblock.p2p.dialbacks.failed", "Dial-backs we ran for peers that failed", m.dialBacksFailed);
        counter("protoblock.p2p.dialbacks.refused", "Dial-back requests we refused (address or rate limits)", m.dialBacksRefused);
        gauge("protoblock.p2p.relay.reservations.held", "Relays holding a reservation for us (while not publicly reachable)", p2p,
                n -> n.relayClient().relayedAddresses().size());
        gauge("protoblock.p2p.relay.reservations.served", "Reservations we hold for others as a relay", p2p,
                n -> n.relayService().map(RelayService::reservationsServed).orElse(0));
        gauge("protoblock.p2p.relay.circuits.open", "Circuits we relay for others, open now", p2p,
                n -> n.relayService().map(RelayService::openCircuits).orElse(0));
        counter("protoblock.p2p.relay.circuits", "Circuits we spliced for others", p2p,
                n -> n.relayService().map(RelayService::circuitsSpliced).orElse(0L));
        counter("protoblock.p2p.relay.circuit.bytes", "Bytes we relayed over circuits, both directions", p2p,
                n -> n.relayService().map(RelayService::bytesRelayed).orElse(0L));
        counter("protoblock.p2p.relay.reservations.granted", "Reservations (and refreshes) we granted as a relay", m.relayReservationsGranted);
        counter("protoblock.p2p.relay.reservations.refused", "Reservations we refused over our limits", m.relayReservationsRefused);
        counter("protoblock.p2p.relayed.links", "Relayed links we opened or took as an end", m.relayedLinks);
        counter("protoblock.p2p.holepunch.attempts", "Hole-punch rounds we took part in (either role)", m.holePunchAttempts);
        counter("protoblock.p2p.holepunch.successes", "Hole-punch rounds that gave a direct link", m.holePunchSuccesses);
        m.holePunchFailures.forEach((reason, adder) -> FunctionCounter.builder("protoblock.p2p.holepunch.failures", adder, LongAdder::sum)
                .description("Hole-punch rounds that failed, by reason").tag("reason", reason.tag()).register(registry));
        // Zero-valued series for every reason, so dashboards see them before the first failure.
        for (DisconnectReason reason : DisconnectReason.values()) {
            handshakeFailures(reason);
            disconnects(reason);
        }
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
    }

    /** Stops listening to GC notifications (the JVM may outlive this node: tests, the devnet). */
    @Override
    public void close() {
        gcMetrics.close();
    }

    public MeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }

    /** What {@code PeerEvents.register} needs: lifecycle events only, no message types. */
    public Set<org.protoblock.p2p.wire.proto.Envelope.BodyCase> messageTypes() {
        return Set.of();
    }

    @Override
    public void linkFailed(LinkFailure failure) {
        handshakeFailures(failure.closed().reason()).increment();
    }

    @Override
    public void disconnected(Session session, DisconnectReason reason, boolean byUs) {
        disconnects(reason).increment();
    }

    private Counter handshakeFailures(DisconnectReason reason) {
        return Counter.builder("protoblock.handshake.failures").description("Links that closed before becoming a session, by reason")
                .tag("reason", reason.name()).register(registry);
    }

    private Counter disconnects(DisconnectReason reason) {
        return Counter.builder("protoblock.disconnects").description("Sessions that ended, by reason")
                .tag("reason", reason.name()).register(registry);
    }

    private static double count(P2pNode node, Direction direction) {
        return node.host().sessions().stream().filter(s -> s.direction() == direction).count();
    }

    private <T> void gauge(String name, String help, T source, ToDoubleFunction<T> fn, String... tags) {
        Gauge.builder(name, source, fn).description(help).tags(tags).strongReference(true).register(registry);
    }

    private void counter(String name, String help, LongAdder adder) {
        FunctionCounter.builder(name, adder, LongAdder::sum).description(help).register(registry);
    }

    private <T> void counter(String name, String help, T source, ToDoubleFunction<T> fn) {
        FunctionCounter.builder(name, source, fn).description(help).register(registry);
    }
}
