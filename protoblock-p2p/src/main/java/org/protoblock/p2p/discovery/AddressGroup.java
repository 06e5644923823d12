package org.protoblock.p2p.discovery;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * The network group of an address: peers in one group are assumed to be run by, or reachable to,
 * one party, so the address book and the peer manager limit how much of our view one group fills.
 *
 * <p>Rules (Rationale after each):
 * <ul>
 *   <li>Public IPv4: the /16 ({@code v4:a.b}). Rationale: getting addresses in many /16s costs an
 *       attacker far more than many addresses in one (Bitcoin Core's netgroups).</li>
 *   <li>Public IPv6: the /32 ({@code v6:xxxx:xxxx}). Rationale: the usual allocation to one provider.</li>
 *   <li>Loopback 127.0.0.0/16 and ::1: host and port ({@code lo:127.0.0.1:8125}). Rationale: this is
 *       a single-host test network; every node on it is its own group, so tests on 127.0.0.1 behave
 *       like a diverse network.</li>
 *   <li>Other loopback 127.N.0.0/16 (N ≥ 1): the /16, like public IPv4. Rationale: all of 127/8 is
 *       loopback on Linux, so tests listen on 127.1.0.1, 127.2.0.1, … to simulate distinct groups.</li>
 *   <li>Private and link-local (10/8, 172.16/12, 192.168/16, 169.254/16, fc00::/7, fe80::/10): the
 *       host ({@code lan:192.168.1.7}). Rationale: on a LAN every machine is its own party; eclipse by
 *       address ranges is an Internet concern, and a LAN-only devnet must still form a mesh.</li>
 *   <li>Host names (configured seeds only): the name. In-process addresses: the name ({@code local:x}).</li>
 * </ul>
 */
public record AddressGroup(String key) {

    public AddressGroup {
        Objects.requireNonNull(key, "key");
    }

    public static AddressGroup of(PeerAddress address) {
        if (PeerAddress.LOCAL.equals(address.scheme())) {
            return new AddressGroup("local:" + address.host());
        }
        String host = address.host().toLowerCase(Locale.ROOT);
        Optional<int[]> v4 = IpLiterals.ipv4(host);
        if (v4.isPresent()) {
            int[] b = v4.get();
            if (b[0] == 127 && b[1] == 0) {
                return new AddressGroup("lo:" + host + ":" + address.port());
            }
            if (b[0] == 127) {
                return new AddressGroup("v4:127." + b[1]);
            }
            if (IpLiterals.isPrivateV4(b)) {
                return new AddressGroup("lan:" + host);
            }
            return new AddressGroup("v4:" + b[0] + "." + b[1]);
        }
        Optional<int[]> v6 = IpLiterals.ipv6(host);
        if (v6.isPresent()) {
            int[] w = v6.get();
            if (IpLiterals.isLoopbackV6(w)) {
                return new AddressGroup("lo:[::1]:" + address.port());
            }
            if ((w[0] & 0xfe00) == 0xfc00 || (w[0] & 0xffc0) == 0xfe80) {
                return new AddressGroup("lan:" + host);
            }
            return new AddressGroup(String.format(Locale.ROOT, "v6:%04x:%04x", w[0], w[1]));
        }
        return new AddressGroup("name:" + host);
    }

    @Override
    public String toString() {
        return key;
    }
}
