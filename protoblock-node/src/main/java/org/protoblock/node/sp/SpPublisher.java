package org.protoblock.node.sp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PUB side of one topic (new blocks, or new transactions): the subscribed connections, over
 * any transport, and the fan-out of each message to them.
 *
 * <p>Rules:
 * <ul>
 *   <li>At most {@code maxSubscribers} connections; one more is closed at once.</li>
 *   <li>A subscriber whose connection is not writable (its outbound buffer is above the channel's
 *       high water mark) misses the message: PUB semantics, a slow subscriber loses messages and
 *       the node keeps no backlog for it. Rationale: memory per subscriber is bounded by the water
 *       mark plus one message, and the message itself is one buffer shared by all.</li>
 *   <li>Filtering by prefix is the subscriber's job, as in nng: every message goes to everyone.</li>
 * </ul>
 * Threads: any thread may publish (the feed calls from its own executor); the writes run on each
 * subscriber's event loop, which alone checks its writability.
 */
public final class SpPublisher {
    private static final Logger log = LoggerFactory.getLogger(SpPublisher.class);

    private final String topic;
    private final int maxSubscribers;
    private final Set<Channel> subscribers = ConcurrentHashMap.newKeySet();
    private final AtomicLong subscribed = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    public SpPublisher(String topic, int maxSubscribers) {
        this.topic = topic;
        this.maxSubscribers = maxSubscribers;
    }

    public String topic() {
        return topic;
    }

    /** Adds a subscriber until its channel closes; false (and the channel closed) when full. */
    public synchronized boolean subscribe(Channel channel) {
        if (subscribers.size() >= maxSubscribers) {
            log.debug("SP PUB {}: {} subscribers already, closing {}", topic, maxSubscribers, channel.remoteAddress());
            channel.close();
            return false;
        }
        subscribers.add(channel);
        subscribed.incrementAndGet();
        channel.closeFuture().addListener(f -> subscribers.remove(channel));
        return true;
    }

    /** Sends {@code message} to every writable subscriber. */
    public void publish(byte[] message) {
        publish(List.of(message));
    }

    /**
     * Sends {@code messages}, in order, to every writable subscriber: one task per event loop that
     * writes them to each of its subscribers and flushes each once. Rationale: fanning a burst of
     * transactions out to a thousand subscribers costs one task and one syscall per subscriber per
     * batch, not per message.
     */
    public void publish(List<byte[]> messages) {
        if (messages.isEmpty() || subscribers.isEmpty()) {
            return;
        }
        List<ByteBuf> shared = messages.stream().map(SpPublisher::direct).toList();
        Map<EventLoop, List<Channel>> byLoop = new HashMap<>();
        for (Channel ch : subscribers) {
            byLoop.computeIfAbsent(ch.eventLoop(), l -> new ArrayList<>()).add(ch);
        }
        for (Map.Entry<EventLoop, List<Channel>> loop : byLoop.entrySet()) {
            shared.forEach(ByteBuf::retain);
            loop.getKey().execute(() -> {
                try {
                    loop.getValue().forEach(ch -> writeAll(ch, shared));
                } finally {
                    shared.forEach(ByteBuf::release);
                }
            });
        }
        shared.forEach(ByteBuf::release);
    }

    /**
     * One direct copy per message, shared by every subscriber. Rationale: the native transport
     * writes only direct memory; handed a heap buffer it makes a direct copy per channel, so a
     * thousand subscribers with full outbound buffers held a thousand copies of each message (2 GiB
     * of direct memory with 1,000 stalled subscribers per topic under a burst).
     */
    private static ByteBuf direct(byte[] message) {
        return Unpooled.directBuffer(message.length).writeBytes(message);
    }

    /** On {@code ch}'s event loop. */
    private void writeAll(Channel ch, List<ByteBuf> messages) {
        if (!ch.isActive()) {
            return;
        }
        for (ByteBuf m : messages) {
            if (ch.isWritable()) {
                ch.write(m.retainedDuplicate(), ch.voidPromise());
                published.incrementAndGet();
            } else {
                dropped.incrementAndGet();
            }
        }
        ch.flush();
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    /** Subscriptions accepted so far (a running total: it never goes down). */
    public long subscribedTotal() {
        return subscribed.get();
    }

    /** Messages handed to subscribers' connections so far (one per subscriber per message). */
    public long published() {
        return published.get();
    }

    /** Messages a subscriber missed because its connection was not writable. */
    public long dropped() {
        return dropped.get();
    }
}
