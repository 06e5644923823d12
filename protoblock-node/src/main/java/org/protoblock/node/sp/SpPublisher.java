package org.protoblock.node.sp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
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
 * Threads: any thread may publish (the feed calls from its own executor); Netty hands each write
 * to the channel's event loop and counts it against the channel's writability at once.
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
        ByteBuf shared = Unpooled.wrappedBuffer(message);
        try {
            for (Channel ch : subscribers) {
                if (ch.isActive() && ch.isWritable()) {
                    ch.writeAndFlush(shared.retainedDuplicate(), ch.voidPromise());
                    published.incrementAndGet();
                } else {
                    dropped.incrementAndGet();
                }
            }
        } finally {
            shared.release();
        }
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
