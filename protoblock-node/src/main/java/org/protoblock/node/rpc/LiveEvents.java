package org.protoblock.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.protoblock.chain.service.ChainListener;
import org.protoblock.chain.tree.AddOutcome;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.session.PeerListener;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.sync.SyncProgress;

/**
 * The WebSocket subscriptions of JSON-RPC ({@code subscribe}/{@code unsubscribe}, and geth's
 * {@code eth_subscribe}/{@code eth_unsubscribe}): chain, peer and sync events turned into JSON
 * once and sent to each subscribed connection as a notification
 * {@code {"jsonrpc":"2.0","method":"subscription","params":{"subscription":ID,"result":EVENT}}}
 * ({@code eth_subscription} for subscriptions made with {@code eth_subscribe}).
 *
 * <p>Kinds: {@code newHeads} (each block the main chain gains), {@code newTransactions} (alias
 * {@code newPendingTransactions}: each transaction entering the mempool), {@code peers} (connected /
 * disconnected), {@code syncProgress} (alias {@code syncing}: sync state, sampled each second, sent
 * when it changed).
 *
 * <p>Bounds: {@value #MAX_PER_CONNECTION} subscriptions per connection, {@value #MAX_TOTAL} in all;
 * a connection that is not writable (its outbound buffer above Netty's high water mark) misses the
 * notification (counted in {@link #dropped()}); events wait in a queue of {@value #MAX_QUEUED}, beyond
 * which they are dropped for everyone.
 *
 * <p>Threads: the chain and the sessions' event loops call in; building the JSON and the fan-out run
 * on "live-events" ({@link OwnedExecutor}); the subscription table is concurrent (connections'
 * event loops and RPC threads add and remove).
 */
public final class LiveEvents implements ChainListener, PeerListener, AutoCloseable {
    public static final int MAX_PER_CONNECTION = 16;
    public static final int MAX_TOTAL = 4096;
    public static final int MAX_QUEUED = 2048;
    private static final Duration SYNC_SAMPLE = Duration.ofSeconds(1);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** What a client can subscribe to. */
    public enum Kind {
        NEW_HEADS("newHeads"),
        NEW_TRANSACTIONS("newTransactions"),
        PEERS("peers"),
        SYNC_PROGRESS("syncProgress");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Optional<Kind> parse(String name) {
            return switch (name) {
                case "newHeads" -> Optional.of(NEW_HEADS);
                case "newTransactions", "newPendingTransactions" -> Optional.of(NEW_TRANSACTIONS);
                case "peers" -> Optional.of(PEERS);
                case "syncProgress", "syncing" -> Optional.of(SYNC_PROGRESS);
                default -> Optional.empty();
            };
        }
    }

    private record Subscription(String id, Channel channel, Kind kind, String method) {
    }

    private final ObjectMapper mapper;
    private final Supplier<SyncProgress> sync;
    private final OwnedExecutor executor = new OwnedExecutor("live-events", MAX_QUEUED);
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Last sync state sent; touched on "live-events" only. */
    private JsonNode lastSync = JSON.nullNode();

    public LiveEvents(ObjectMapper mapper, Supplier<SyncProgress> sync) {
        this.mapper = mapper;
        this.sync = sync;
        executor.scheduleEvery(SYNC_SAMPLE, SYNC_SAMPLE, this::sampleSync);
    }

    /**
     * Subscribes {@code channel} to {@code kind} until it unsubscribes or closes; notifications
     * use {@code method}. Empty when the connection or the node has reached its bound.
     */
    public synchronized Optional<String> subscribe(Channel channel, Kind kind, String method) {
        long mine = subscriptions.values().stream().filter(s -> s.channel() == channel).count();
        if (mine >= MAX_PER_CONNECTION || subscriptions.size() >= MAX_TOTAL || !channel.isActive()) {
            return Optional.empty();
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String id = "0x" + HexFormat.of().formatHex(bytes);
        subscriptions.put(id, new Subscription(id, channel, kind, method));
        channel.closeFuture().addListener(f -> subscriptions.values().removeIf(s -> s.channel() == channel));
        return Optional.of(id);
    }

    /** Whether {@code id} was a subscription of {@code channel} (now removed). */
    public boolean unsubscribe(Channel channel, String id) {
        Subscription s = subscriptions.get(id);
        return s != null && s.channel() == channel && subscriptions.remove(id, s);
    }

    // ---- events in

    @Override
    public void onHeadChanged(AddOutcome outcome) {
        for (ChainBlock block : outcome.connected()) {
            emit(Kind.NEW_HEADS, () -> head(block));
        }
    }

    @Override
    public void onTransactionAccepted(ChainTransaction tx) {
        emit(Kind.NEW_TRANSACTIONS, () -> JSON.objectNode().put("txid", tx.id().toHex())
                .put("name", tx.fantasyName()).put("type", tx.proto().getTrans().getType().name())
                .put("size", tx.serializedSize()));
    }

    @Override
    public void connected(Session session, Hello hello) {
        emit(Kind.PEERS, () -> peer("connected", session).put("height", hello.head().num()).put("agent", hello.agent()));
    }

    @Override
    public void disconnected(Session session, DisconnectReason reason, boolean byUs) {
        emit(Kind.PEERS, () -> peer("disconnected", session).put("reason", reason.name()).put("byus", byUs));
    }

    private void sampleSync() {
        JsonNode now = syncJson(sync.get());
        if (!now.equals(lastSync)) {
            lastSync = now;
            deliver(Kind.SYNC_PROGRESS, now);
        }
    }

    static ObjectNode head(ChainBlock block) {
        return JSON.objectNode().put("number", block.num()).put("hash", block.id().toHex())
                .put("parentHash", block.parentId().map(p -> p.toHex()).orElse(""))
                .put("timestamp", block.timestamp()).put("txcount", block.transactions().size())
                .put("size", block.proto().getSerializedSize());
    }

    private static ObjectNode peer(String event, Session s) {
        return JSON.objectNode().put("event", event).put("id", s.nodeId().hex()).put("addr", s.remoteAddress().toString())
                .put("inbound", s.direction() == Direction.INBOUND);
    }

    static ObjectNode syncJson(SyncProgress p) {
        return JSON.objectNode().put("state", p.state().name().toLowerCase(Locale.ROOT)).put("current", p.appliedNum())
                .put("target", p.targetNum()).put("percent", Math.round(p.percent() * 10) / 10.0)
                .put("blockspersecond", Math.round(p.blocksPerSecond() * 10) / 10.0);
    }

    // ---- fan-out

    private void emit(Kind kind, Supplier<JsonNode> event) {
        if (subscriptions.values().stream().noneMatch(s -> s.kind() == kind)) {
            return;
        }
        if (!executor.execute(() -> deliver(kind, event.get()))) {
            dropped.incrementAndGet();
        }
    }

    private void deliver(Kind kind, JsonNode event) {
        String result;
        try {
            result = mapper.writeValueAsString(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        for (Subscription s : subscriptions.values()) {
            if (s.kind() != kind) {
                continue;
            }
            if (!s.channel().isActive() || !s.channel().isWritable()) {
                dropped.incrementAndGet();
                continue;
            }
            String text = "{\"jsonrpc\":\"2.0\",\"method\":\"" + s.method() + "\",\"params\":{\"subscription\":\""
                    + s.id() + "\",\"result\":" + result + "}}";
            s.channel().writeAndFlush(new TextWebSocketFrame(text), s.channel().voidPromise());
            delivered.incrementAndGet();
        }
    }

    public int subscriptionCount() {
        return subscriptions.size();
    }

    public long delivered() {
        return delivered.get();
    }

    public long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        executor.close();
    }
}
