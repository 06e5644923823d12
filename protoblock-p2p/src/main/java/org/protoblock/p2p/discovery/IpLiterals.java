package org.protoblock.p2p.discovery;

import java.util.Optional;

/**
 * Parses IP literals without any name lookup (java.net would resolve names, which must never
 * happen for addresses a peer sent us).
 */
final class IpLiterals {
    private IpLiterals() {
    }

    /** Four octets of a dotted IPv4 literal. */
    static Optional<int[]> ipv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        int[] out = new int[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) { // ASCII: isDigit takes any script's
                return Optional.empty();
            }
            out[i] = Integer.parseInt(p);
            if (out[i] > 255) {
                return Optional.empty();
            }
        }
        return Optional.of(out);
    }

    /** Eight 16-bit words of an IPv6 literal (no zone id, no embedded IPv4). */
    static Optional<int[]> ipv6(String host) {
        if (host.indexOf(':') < 0 || host.indexOf('%') >= 0 || host.length() > 39) {
            return Optional.empty();
        }
        int dbl = host.indexOf("::");
        if (dbl >= 0 && host.indexOf("::", dbl + 1) >= 0) {
            return Optional.empty();
        }
        String[] head = dbl >= 0 ? split(host.substring(0, dbl)) : split(host);
        String[] tail = dbl >= 0 ? split(host.substring(dbl + 2)) : new String[0];
        if (head == null || tail == null) {
            return Optional.empty();
        }
        int total = head.length + tail.length;
        if ((dbl < 0 && total != 8) || (dbl >= 0 && total > 7)) {
            return Optional.empty();
        }
        int[] words = new int[8];
        for (int i = 0; i < head.length; i++) {
            words[i] = Integer.parseInt(head[i], 16);
        }
        for (int i = 0; i < tail.length; i++) {
            words[8 - tail.length + i] = Integer.parseInt(tail[i], 16);
        }
        return Optional.of(words);
    }

    /** The address of an IPv4 or IPv6 literal, built from its bytes (no lookup); empty for a name. */
    static Optional<java.net.InetAddress> toInetAddress(String host) {
        byte[] bytes;
        Optional<int[]> v4 = ipv4(host);
        if (v4.isPresent()) {
            bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                bytes[i] = (byte) v4.get()[i];
            }
        } else {
            Optional<int[]> v6 = ipv6(host);
            if (v6.isEmpty()) {
                return Optional.empty();
            }
            bytes = new byte[16];
            for (int i = 0; i < 8; i++) {
                bytes[2 * i] = (byte) (v6.get()[i] >> 8);
                bytes[2 * i + 1] = (byte) v6.get()[i];
            }
        }
        try {
            return Optional.of(java.net.InetAddress.getByAddress(bytes));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    private static String[] split(String s) {
        if (s.isEmpty()) {
            return new String[0];
        }
        String[] parts = s.split(":", -1);
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 4 || !p.chars().allMatch(c -> c < 128 && Character.digit(c, 16) >= 0)) {
                return null;
            }
        }
        return parts;
    }

    static boolean isPrivateV4(int[] b) {
        return b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254);
    }

    static boolean isLoopbackV6(int[] w) {
        for (int i = 0; i < 7; i++) {
            if (w[i] != 0) {
                return false;
            }
        }
        return w[7] == 1;
    }

    static boolean isUnspecified(String host) {
        return ipv4(host).map(b -> b[0] == 0).orElse(false)
                || ipv6(host).map(w -> java.util.Arrays.stream(w).allMatch(x -> x == 0)).orElse(false);
    }

    static boolean isMulticastOrBroadcast(String host) {
        return ipv4(host).map(b -> b[0] >= 224).orElse(false)
                || ipv6(host).map(w -> (w[0] & 0xff00) == 0xff00).orElse(false);
    }

    static boolean isLoopback(String host) {
        return ipv4(host).map(b -> b[0] == 127).orElse(false) || ipv6(host).map(IpLiterals::isLoopbackV6).orElse(false);
    }

    /** Loopback, private or link-local: an address whose ban would hit unrelated local nodes. */
    static boolean isLocal(String host) {
        return ipv4(host).map(b -> b[0] == 127 || isPrivateV4(b)).orElse(false)
                || ipv6(host).map(w -> isLoopbackV6(w) || (w[0] & 0xfe00) == 0xfc00 || (w[0] & 0xffc0) == 0xfe80)
                        .orElse(false);
    }
}
