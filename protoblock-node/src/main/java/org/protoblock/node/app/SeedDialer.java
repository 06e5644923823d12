package org.protoblock.node.app;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.protoblock.p2p.P2pNode;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the configured seeds connected for nodes run without peer management (devnet, tests): dials
 * each at start and, while its link is down, again every {@value #RETRY_SECONDS} s. One log line
 * per failure, no stack trace (an unreachable seed is ordinary).
 */
public final class SeedDialer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SeedDialer.class);
    public static final int MAX_SEEDS = 64;
    public static final long RETRY_SECONDS = 15;

    private final P2pNode p2p;
    private final List<PeerAddress> seeds;
    private final Map<PeerAddress, Optional<Session>> links = new ConcurrentHashMap<>();
    private final Map<PeerAddress, Boolean> dialing = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "seed-dialer");
        t.setDaemon(true);
        return t;
    });

    public SeedDialer(P2pNode p2p, List<PeerAddress> seeds) {
        if (seeds.size() > MAX_SEEDS) {
            throw new IllegalArgumentException("at most " + MAX_SEEDS + " seeds");
        }
        this.p2p = p2p;
        this.seeds = List.copyOf(seeds);
    }

    public void start() {
        if (!seeds.isEmpty()) {
            timer.scheduleWithFixedDelay(this::dialMissing, 0, RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void dialMissing() {
        for (PeerAddress seed : seeds) {
            boolean up = links.getOrDefault(seed, Optional.empty()).filter(Session::isOpen).isPresent();
            if (up || dialing.putIfAbsent(seed, Boolean.TRUE) != null) {
                continue;
            }
            try {
                p2p.dial(seed).whenComplete((session, failure) -> {
                    dialing.remove(seed);
                    if (failure == null) {
                        links.put(seed, Optional.of(session));
                        log.info("Connected to seed {} (node {})", seed, session.nodeId().shortForm());
                    } else {
                        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                        log.info("Seed {} unreachable: {}; retrying in {} s", seed, cause.getMessage(), RETRY_SECONDS);
                    }
                });
            } catch (IllegalStateException closed) {
                dialing.remove(seed);
                return; // host closed: we are shutting down
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
