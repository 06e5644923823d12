package org.protoblock.p2p.nat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a TCP port mapped at the gateway so that peers outside a NAT can dial us (issue 11 item 2;
 * modelled on Bitcoin Core 29's mapport/pcp).
 *
 * <p>Rules:
 * <ul>
 *   <li>The gateway is the default route of the routing table (or the configured one); our
 *       internal address is the one the kernel picks for the route to it.</li>
 *   <li>Protocols in order PCP, NAT-PMP, UPnP-IGD (when enabled); the first that grants a
 *       mapping wins. PCP falls to NAT-PMP on UNSUPP_VERSION (the RFC 6887 §9 signal) and also on
 *       silence or refusal. Rationale: a gateway that filters PCP but speaks NAT-PMP exists (the lab
 *       builds one), and trying costs at most one try budget.</li>
 *   <li>Renewal by mapping again with the same client (same PCP nonce) at a random point between
 *       1/2 and 5/8 of the granted lifetime ({@link RenewalSchedule}); a grant under 30 s counts as
 *       a failure. A failed renewal loses the mapping; everything failing is retried after
 *       {@code retryAfterFailure}. Never more than one attempt in flight, never a retry loop
 *       without that wait.</li>
 *   <li>The external address is accepted as the gateway says, private or not: reachability
 *       checks decide whether it is reachable.</li>
 *   <li>{@code onChange} fires on the mapper's thread when a mapping appears, its external
 *       address or port changes, or it is lost; not for a renewal that changes only the expiry,
 *       nor on close.</li>
 *   <li>{@link #close} deletes the mapping at the gateway with one short try (bounded by about
 *       2 s in all) and stops the thread; closing again does nothing.</li>
 * </ul>
 *
 * <p>Threads: all state is owned by the {@code p2p-portmap} {@link OwnedExecutor} thread; network
 * calls block that thread only (each bounded by its try budget). {@link #current()} reads a
 * volatile copy from any thread.
 */
public final class PortMapper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PortMapper.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    /** Where the gateway protocols listen: fixed by their RFCs, changeable for tests on loopback. */
    record Endpoints(int pcpPort, Optional<InetSocketAddress> ssdpTarget) {
        static final int PCP_PORT = 5351;

        static Endpoints standard() {
            return new Endpoints(PCP_PORT, Optional.empty());
        }
    }

    private final PortMapperConfig config;
    private final Clock clock;
    private final Consumer<Optional<PortMapping>> onChange;
    private final Endpoints endpoints;
    private final BiFunction<GatewayGrant, Duration, Duration> renewAfter;
    private final SecureRandom nonces = new SecureRandom();
    private final OwnedExecutor executor = new OwnedExecutor("p2p-portmap", 16);

    private volatile Optional<PortMapping> current = Optional.empty();
    private volatile boolean closing;
    // Owned by the executor thread:
    private int internalPort;
    private Optional<MappingClient> active = Optional.empty();
    private Optional<ScheduledFuture<?>> timer = Optional.empty();
    private Optional<HttpClient> http = Optional.empty();
    private boolean failureLogged;

    public PortMapper(PortMapperConfig config, Clock clock, Consumer<Optional<PortMapping>> onChange) {
        this(config, clock, onChange, Endpoints.standard(), randomRenewal(new SecureRandom()));
    }

    PortMapper(PortMapperConfig config, Clock clock, Consumer<Optional<PortMapping>> onChange, Endpoints endpoints,
               BiFunction<GatewayGrant, Duration, Duration> renewAfter) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        this.endpoints = endpoints;
        this.renewAfter = renewAfter;
    }

    /** The production renewal timing: {@link RenewalSchedule} with {@code random}. */
    static BiFunction<GatewayGrant, Duration, Duration> randomRenewal(RandomGenerator random) {
        return (grant, requested) -> RenewalSchedule.renewAfter(grant, requested, random);
    }

    /** Starts mapping {@code internalTcpPort} (our listener's port) on the mapper's thread; returns at once. */
    public void start(int internalTcpPort) {
        if (internalTcpPort <= 0 || internalTcpPort > 65535) {
            throw new IllegalArgumentException("port out of range: " + internalTcpPort);
        }
        boolean queued = executor.execute(() -> {
            if (internalPort != 0) {
                log.warn("Port mapper already started for port {}", internalPort);
                return;
            }
            internalPort = internalTcpPort;
            attempt();
        });
        if (!queued) {
            throw new IllegalStateException("port mapper is closed");
        }
    }

    /** The mapping in force, if any. */
    public Optional<PortMapping> current() {
        return current;
    }

    @Override
    public void close() {
        if (executor.isClosed()) {
            return;
        }
        closing = true;
        try {
            executor.call(() -> {
                timer.ifPresent(t -> t.cancel(false));
                deleteAtGateway();
                return null;
            }, CLOSE_WAIT);
        } catch (IllegalStateException | RejectedExecutionException e) {
            log.debug("Port mapper: mapping not deleted on close: {}", e.getMessage());
        }
        executor.close(Duration.ofMillis(200));
    }

    /** Maps from scratch (no client yet) or renews with the client that made the mapping. */
    private void attempt() {
        timer = Optional.empty();
        if (closing) {
            return;
        }
        if (active.isPresent()) {
            renew(active.get());
            return;
        }
        PortMapException last;
        try {
            last = mapWithFirstThatWorks();
            if (last == null) {
                return;
            }
        } catch (PortMapException e) {
            last = e;
        }
        if (!failureLogged) {
            log.info("No port mapping for port {}: {} (retrying every {})", internalPort, last.getMessage(), config.retryAfterFailure());
            failureLogged = true;
        } else {
            log.debug("No port mapping for port {}: {}", internalPort, last.getMessage());
        }
        scheduleAttempt(config.retryAfterFailure());
    }

    /** Tries each protocol in order; null when one mapped, else the last failure. */
    private PortMapException mapWithFirstThatWorks() throws PortMapException {
        InetAddress gateway = config.gateway().or(Gateways::defaultIpv4)
                .orElseThrow(() -> new PortMapException(PortMapException.Kind.NO_GATEWAY, "no default gateway in the routing table"));
        InetSocketAddress pcpServer = new InetSocketAddress(gateway, endpoints.pcpPort());
        UdpExchange exchange = new UdpExchange(pcpServer, () -> closing);
        InetAddress local = exchange.localAddress();
        PortMapException last = null;
        for (MappingClient client : clients(exchange, local)) {
            if (closing) {
                return null;
            }
            try {
                GatewayGrant grant = client.map(internalPort, config.requestedLifetime());
                checkLifetime(client, grant);
                granted(client, grant);
                return null;
            } catch (PortMapException e) {
                log.debug("Port mapping via {} failed: {}", client.protocol().wireName(), e.getMessage());
                last = e;
            }
        }
        return last;
    }

    private List<MappingClient> clients(UdpExchange exchange, InetAddress local) {
        List<MappingClient> clients = new ArrayList<>(3);
        clients.add(new PcpClient(exchange, local, config.replyTimeout(), config.tries(), nonces));
        if (exchange.server().getAddress().getAddress().length == 4) {
            clients.add(new NatPmpClient(exchange, config.tryBudget()));
        }
        if (config.upnp()) {
            Ssdp ssdp = new Ssdp(endpoints.ssdpTarget().orElse(Ssdp.MULTICAST), () -> closing);
            clients.add(new UpnpClient(httpClient(), ssdp, local, config.tryBudget()));
        }
        return clients;
    }

    private void renew(MappingClient client) {
        try {
            GatewayGrant grant = client.map(internalPort, config.requestedLifetime());
            checkLifetime(client, grant);
            granted(client, grant);
        } catch (PortMapException e) {
            if (closing) {
                return; // cancelled by close, which deletes the mapping with this client next
            }
            lost(client, e);
        }
    }

    private void checkLifetime(MappingClient client, GatewayGrant grant) throws PortMapException {
        if (!RenewalSchedule.acceptable(grant)) {
            throw new PortMapException(PortMapException.Kind.REFUSED,
                    client.protocol().wireName() + " granted only " + grant.lifetime().toSeconds() + " s (under 30 s)");
        }
    }

    private void granted(MappingClient client, GatewayGrant grant) {
        Duration lifetime = grant.permanent() ? config.requestedLifetime() : grant.lifetime();
        Instant expires = clock.instant().plus(lifetime);
        PortMapping mapping = new PortMapping(client.protocol(), grant.external(), internalPort, expires);
        Optional<PortMapping> previous = current;
        active = Optional.of(client);
        current = Optional.of(mapping);
        failureLogged = false;
        Duration renewIn = renewAfter.apply(grant, config.requestedLifetime());
        boolean changed = previous.isEmpty() || previous.get().protocol() != mapping.protocol()
                || !previous.get().external().equals(mapping.external());
        if (changed) {
            log.info("Port mapping via {}: {} -> {}, expires {}{}", client.protocol().wireName(), hostPort(grant.external()), internalPort,
                    expires, grant.permanent() ? " (permanent lease, re-added then)" : "");
            notifyChange(current);
        } else {
            log.debug("Port mapping via {} renewed: {} -> {}, expires {}", client.protocol().wireName(), hostPort(grant.external()),
                    internalPort, expires);
        }
        scheduleAttempt(renewIn);
    }

    private void lost(MappingClient client, PortMapException e) {
        active = Optional.empty();
        current = Optional.empty();
        log.info("Port mapping via {} lost: {} (retrying in {})", client.protocol().wireName(), e.getMessage(), config.retryAfterFailure());
        failureLogged = true;
        notifyChange(Optional.empty());
        scheduleAttempt(config.retryAfterFailure());
    }

    private void deleteAtGateway() {
        if (active.isEmpty()) {
            return;
        }
        MappingClient client = active.get();
        active = Optional.empty();
        current = Optional.empty();
        try {
            client.unmap(internalPort);
            log.info("Port mapping via {} deleted", client.protocol().wireName());
        } catch (PortMapException e) {
            log.info("Port mapping via {} not deleted: {}", client.protocol().wireName(), e.getMessage());
        }
    }

    private void scheduleAttempt(Duration delay) {
        if (!closing) {
            timer = executor.schedule(delay, this::attempt);
        }
    }

    private void notifyChange(Optional<PortMapping> mapping) {
        try {
            onChange.accept(mapping);
        } catch (RuntimeException e) {
            log.warn("Port mapping listener failed", e);
        }
    }

    private HttpClient httpClient() {
        if (http.isEmpty()) {
            http = Optional.of(UpnpClient.httpClient(config.replyTimeout()));
        }
        return http.get();
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
