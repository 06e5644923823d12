package org.protoblock.p2p.nat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The IPv4 default gateway from the kernel's routing table, {@code /proc/net/route} on Linux (Bitcoin
 * Core asks netlink; Java has no netlink, the proc file holds the same table).
 *
 * <p>Format: a header line, then one route per line, whitespace separated: Iface, Destination,
 * Gateway, Flags, RefCnt, Use, Metric, Mask, ...; addresses as 8 hex digits in host (little-endian
 * on x86/ARM) byte order. The default route has destination and mask 0 and the gateway flag (0x2)
 * set; among several, the lowest metric wins, as the kernel picks.
 */
final class Gateways {
    static final Path PROC_NET_ROUTE = Path.of("/proc/net/route");
    private static final int RTF_UP = 0x1;
    private static final int RTF_GATEWAY = 0x2;
    private static final long MAX_TABLE_BYTES = 1 << 20;

    private Gateways() {
    }

    /** The default IPv4 gateway, empty when there is none or the table cannot be read (not Linux). */
    static Optional<InetAddress> defaultIpv4() {
        try {
            if (Files.size(PROC_NET_ROUTE) > MAX_TABLE_BYTES) {
                return Optional.empty();
            }
            return parseDefaultIpv4(Files.readString(PROC_NET_ROUTE, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Parses a {@code /proc/net/route} table; lines that do not parse are skipped. */
    static Optional<InetAddress> parseDefaultIpv4(String table) {
        InetAddress best = null;
        long bestMetric = Long.MAX_VALUE;
        String[] lines = table.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            try {
                long destination = Long.parseLong(f[1], 16);
                long gateway = Long.parseLong(f[2], 16);
                int flags = Integer.parseInt(f[3], 16);
                long metric = Long.parseLong(f[6]);
                long mask = Long.parseLong(f[7], 16);
                boolean isDefault = destination == 0 && mask == 0 && (flags & (RTF_UP | RTF_GATEWAY)) == (RTF_UP | RTF_GATEWAY);
                if (isDefault && gateway != 0 && metric < bestMetric) {
                    best = fromHostOrder(gateway);
                    bestMetric = metric;
                }
            } catch (NumberFormatException e) {
                // not a route line
            }
        }
        return Optional.ofNullable(best);
    }

    /** The kernel prints the address as a native-endian u32; on the little-endian machines we run on, byte 0 is last. */
    private static InetAddress fromHostOrder(long value) {
        byte[] raw = {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
