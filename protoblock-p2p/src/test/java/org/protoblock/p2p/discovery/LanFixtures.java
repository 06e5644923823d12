package org.protoblock.p2p.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;

/**
 * Probes for the LAN tests: does a multicast datagram sent on an interface come back to us?
 * Linux delivers multicast on {@code lo} even without its MULTICAST flag; if it does not, we try
 * {@code ip link set lo multicast on} (works as root; its exit code decides).
 */
final class LanFixtures {
    static final String GROUP = "239.255.81.25";

    private LanFixtures() {
    }

    static boolean multicastOnLoopbackWorks(int port) {
        return works("lo", port) || (enableLoopbackMulticast() && works("lo", port));
    }

    /**
     * Skips the calling test when multicast on lo does not work, with the reason, on a developer
     * box; fails it in CI ({@code CI=true}, set by {@code .ci/run}, which turns the flag on), so a
     * CI run never passes with a LAN test skipped.
     */
    static void requireLoopbackMulticast(int port) {
        boolean multicast = multicastOnLoopbackWorks(port);
        String why = "multicast on lo does not work here; as root run `ip link set lo up multicast on`";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            org.assertj.core.api.Assertions.assertThat(multicast).as(why).isTrue();
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(multicast, why);
    }

    static boolean works(String interfaceName, int port) {
        try (DatagramChannel receiver = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET);
             Selector selector = Selector.open()) {
            NetworkInterface ni = NetworkInterface.getByName(interfaceName);
            if (ni == null) {
                return false;
            }
            InetAddress group = InetAddress.getByName(GROUP);
            receiver.setOption(StandardSocketOptions.SO_REUSEADDR, true).bind(new InetSocketAddress(port));
            receiver.join(group, ni);
            receiver.configureBlocking(false).register(selector, SelectionKey.OP_READ);
            sender.setOption(StandardSocketOptions.IP_MULTICAST_IF, ni).setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            sender.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress(group, port));
            return selector.select(2_000) > 0 && receiver.receive(ByteBuffer.allocate(8)) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean enableLoopbackMulticast() {
        try {
            Process p = new ProcessBuilder("ip", "link", "set", "lo", "multicast", "on").redirectErrorStream(true).start();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
