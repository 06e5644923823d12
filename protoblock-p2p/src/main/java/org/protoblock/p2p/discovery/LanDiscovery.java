package org.protoblock.p2p.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.transport.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zero-configuration discovery on the local network: every {@code interval} a beacon
 * ({@link LanBeacons}) goes to a UDP multicast group (default 239.255.81.25:8126, TTL 1, looped back
 * so nodes on one host see each other); received beacons of our network go to {@code found}.
 *
 * <p>Bounds: beacons are handled at most {@link #MAX_BEACONS_PER_SECOND} per second (burst
 * {@link #BURST}), the rest dropped unread; at most {@link #MAX_INTERFACES} interfaces. Which
 * address a beacon yields is {@link LanBeacons}' rule; it needs this host's own addresses (read
 * again with every beacon we send) to tell a sender on this machine.
 *
 * <p>Threads: one daemon thread blocks in {@code receive} (closing the channel ends it); beacons are
 * sent from the owner's thread passed to {@link #start} (discovery's). {@code found} is called on the receive thread
 * and must hand its work on.
 */
public final class LanDiscovery implements AutoCloseable {
    public static final int MAX_BEACONS_PER_SECOND = 10;
    public static final int BURST = 20;
    public static final int MAX_INTERFACES = 8;
    private static final Logger log = LoggerFactory.getLogger(LanDiscovery.class);

    private final LanBeacons beacons;
    private final InetSocketAddress group;
    private final Duration interval;
    private final List<String> interfaceNames;
    private final String scheme;
    private final Supplier<List<PeerAddress>> listenAddresses;
    private final Consumer<LanBeacons.Found> found;
    private final P2pMetrics metrics;
    private final TokenBucket rate = new TokenBucket(BURST, MAX_BEACONS_PER_SECOND, System.nanoTime());
    private final List<DatagramChannel> senders = new ArrayList<>();
    private DatagramChannel receiver;
    private Thread receiveThread;
    private ScheduledFuture<?> beaconTask;
    private volatile boolean closed;
    /** This host's interface addresses: a beacon from one of them comes from this machine. */
    private volatile Set<InetAddress> ownAddresses = Set.of();

    public LanDiscovery(LanBeacons beacons, String groupAddress, int port, Duration interval, List<String> interfaceNames,
                        String scheme, Supplier<List<PeerAddress>> listenAddresses, Consumer<LanBeacons.Found> found,
                        P2pMetrics metrics) {
        this.beacons = beacons;
        this.group = new InetSocketAddress(groupAddress, port);
        this.interval = interval;
        this.interfaceNames = List.copyOf(interfaceNames);
        this.scheme = scheme;
        this.listenAddresses = listenAddresses;
        this.found = found;
        this.metrics = metrics;
    }

    /** Opens the sockets and starts beaconing; false (with one log line) if multicast is unavailable. */
    public synchronized boolean start(OwnedExecutor scheduler) {
        try {
            List<NetworkInterface> interfaces = interfaces();
            if (interfaces.isEmpty()) {
                log.info("LAN discovery off: no multicast-capable network interface");
                return false;
            }
            receiver = DatagramChannel.open(StandardProtocolFamily.INET)
                    .setOption(StandardSocketOptions.SO_REUSEADDR, true)
                    .bind(new InetSocketAddress(group.getPort()));
            int joined = 0;
            for (NetworkInterface ni : interfaces) {
                try {
                    receiver.join(group.getAddress(), ni);
                    DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET)
                            .setOption(StandardSocketOptions.IP_MULTICAST_IF, ni)
                            .setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true)
                            .setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1);
                    senders.add(sender);
                    joined++;
                } catch (IOException | UnsupportedOperationException e) {
                    log.debug("LAN discovery cannot use interface {}: {}", ni.getName(), e.getMessage());
                }
            }
            if (joined == 0) {
                log.info("LAN discovery off: could not join {} on any interface", group);
                closeChannels();
                return false;
            }
        } catch (IOException e) {
            log.info("LAN discovery off: {}", e.toString());
            closeChannels();
            return false;
        }
        ownAddresses = hostAddresses();
        receiveThread = new Thread(this::receiveLoop, "p2p-lan-receive");
        receiveThread.setDaemon(true);
        receiveThread.start();
        beaconTask = scheduler.scheduleEvery(Duration.ZERO, interval, this::sendBeacon).orElse(null);
        log.info("LAN discovery on {} via {} interface(s)", group, senders.size());
        return true;
    }

    public boolean isRunning() {
        return receiveThread != null && !closed;
    }

    /** Sends one beacon now (also called by the schedule), and refreshes our own addresses. */
    public void sendBeacon() {
        ownAddresses = hostAddresses();
        List<PeerAddress> listen = listenAddresses.get().stream()
                .filter(a -> (PeerAddress.TCP.equals(a.scheme()) && a.port() > 0) || PeerAddress.LOCAL.equals(a.scheme()))
                .toList();
        if (listen.isEmpty()) {
            return; // not listening: nothing to announce
        }
        byte[] packet = beacons.encode(listen);
        List<DatagramChannel> current;
        synchronized (this) {
            current = List.copyOf(senders);
        }
        for (DatagramChannel sender : current) {
            try {
                sender.send(ByteBuffer.wrap(packet), group);
            } catch (IOException e) {
                log.debug("LAN beacon not sent: {}", e.getMessage());
            }
        }
    }

    /** Every address of this host's interfaces (bounded by the host's interfaces); empty if unreadable. */
    static Set<InetAddress> hostAddresses() {
        Set<InetAddress> out = new HashSet<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    out.add(withoutScope(a));
                }
            }
        } catch (SocketException e) {
            log.debug("Cannot list interface addresses: {}", e.getMessage());
        }
        return Set.copyOf(out);
    }

    /** IPv6 addresses as plain bytes, so that a link-local source compares equal to our own. */
    private static InetAddress withoutScope(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("an interface address has 4 or 16 bytes", e);
        }
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(LanBeacons.MAX_BYTES + 1);
        while (!closed) {
            try {
                buffer.clear();
                InetSocketAddress source = (InetSocketAddress) receiver.receive(buffer);
                if (source == null || !rate.tryTake(System.nanoTime())) {
                    continue;
                }
                metrics.lanBeaconsReceived.increment();
                buffer.flip();
                Set<InetAddress> own = ownAddresses;
                beacons.decode(buffer.array(), buffer.limit(), withoutScope(source.getAddress()), scheme, own::contains)
                        .ifPresent(found);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    log.debug("LAN receive failed: {}", e.toString());
                }
            }
        }
    }

    private List<NetworkInterface> interfaces() throws SocketException {
        List<NetworkInterface> out = new ArrayList<>();
        if (!interfaceNames.isEmpty()) {
            for (String name : interfaceNames) {
                NetworkInterface ni = NetworkInterface.getByName(name);
                if (ni != null && ni.isUp()) {
                    out.add(ni);
                } else {
                    log.info("LAN discovery: interface {} not found or down", name);
                }
            }
        } else {
            Set<InetAddress> bound = boundHosts();
            boolean loopbackOnly = !bound.isEmpty() && bound.stream().allMatch(InetAddress::isLoopbackAddress);
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isVirtual() || !hasIpv4(ni)) {
                    continue;
                }
                if (loopbackOnly ? ni.isLoopback() : ni.supportsMulticast() && !ni.isLoopback() && servesAny(ni, bound)) {
                    out.add(ni);
                }
            }
        }
        return out.size() > MAX_INTERFACES ? out.subList(0, MAX_INTERFACES) : out;
    }

    /**
     * The specific hosts we listen on (empty when we listen on a wildcard address). Rationale: a
     * node bound to loopback can only be dialed from this machine, so it beacons on loopback alone
     * and never on the LAN; a node bound to one address beacons only where that address lives.
     */
    private Set<InetAddress> boundHosts() {
        Set<InetAddress> out = new HashSet<>();
        for (PeerAddress a : listenAddresses.get()) {
            if (!PeerAddress.TCP.equals(a.scheme())) {
                continue;
            }
            Optional<InetAddress> ip = IpLiterals.toInetAddress(a.host());
            if (ip.isEmpty() || ip.get().isAnyLocalAddress()) {
                return Set.of();
            }
            out.add(withoutScope(ip.get()));
        }
        return out;
    }

    private static boolean servesAny(NetworkInterface ni, Set<InetAddress> bound) {
        return bound.isEmpty() || Collections.list(ni.getInetAddresses()).stream().map(LanDiscovery::withoutScope).anyMatch(bound::contains);
    }

    private static boolean hasIpv4(NetworkInterface ni) {
        return Collections.list(ni.getInetAddresses()).stream().anyMatch(a -> a.getAddress().length == 4);
    }

    @Override
    public void close() {
        closed = true;
        if (beaconTask != null) {
            beaconTask.cancel(false);
        }
        closeChannels();
        Thread t = receiveThread;
        if (t != null) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void closeChannels() {
        for (DatagramChannel c : senders) {
            closeQuietly(c);
        }
        senders.clear();
        if (receiver != null) {
            closeQuietly(receiver);
        }
    }

    private static void closeQuietly(DatagramChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            log.debug("close failed", e);
        }
    }

}
