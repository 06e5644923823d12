package org.protoblock.p2p.holepunch;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.protoblock.p2p.discovery.AddressRules;
import org.protoblock.p2p.link.PeerText;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.HolePunchConnect;
import org.protoblock.p2p.wire.proto.HolePunchSync;

/**
 * The HolePunchConnect codec. Decoding checks every rule before any address is dialed: at most
 * {@link #MAX_ADDRESSES} addresses, each at most {@link #MAX_ADDRESS_CHARS} characters, each a TCP
 * IP literal with a port (no names: we look nothing up for a peer), not unspecified, multicast or
 * broadcast, and not loopback unless allowed. A message breaking one is malformed as a whole: its
 * sender broke the protocol, and nothing of it is dialed. Duplicates are dropped.
 *
 * <p>Stateless; thread-safe.
 */
public final class PunchAddresses {
    public static final int MAX_ADDRESSES = 8;
    public static final int MAX_ADDRESS_CHARS = 64;

    /** A decoded HolePunchConnect: its addresses, or the rule it broke. */
    public record Decoded(List<PeerAddress> addresses, Optional<String> malformed) {
        static Decoded broke(String rule) {
            return new Decoded(List.of(), Optional.of(rule));
        }
    }

    private PunchAddresses() {
    }

    /** A HolePunchConnect offering {@code ours} (the first {@link #MAX_ADDRESSES}). */
    public static Envelope connect(List<PeerAddress> ours) {
        HolePunchConnect.Builder b = HolePunchConnect.newBuilder();
        ours.stream().limit(MAX_ADDRESSES).forEach(a -> b.addAddresses(a.toString()));
        return Envelope.newBuilder().setHolePunchConnect(b).build();
    }

    public static Envelope sync() {
        return Envelope.newBuilder().setHolePunchSync(HolePunchSync.getDefaultInstance()).build();
    }

    public static Decoded decode(HolePunchConnect message, boolean allowLoopback) {
        if (message.getAddressesCount() > MAX_ADDRESSES) {
            return Decoded.broke(message.getAddressesCount() + " addresses (at most " + MAX_ADDRESSES + ")");
        }
        Set<PeerAddress> out = new LinkedHashSet<>();
        for (String text : message.getAddressesList()) {
            if (text.length() > MAX_ADDRESS_CHARS) {
                return Decoded.broke("an address of " + text.length() + " characters (at most " + MAX_ADDRESS_CHARS + ")");
            }
            Optional<PeerAddress> parsed = PeerAddress.parse(text);
            if (parsed.isEmpty() || !AddressRules.acceptable(parsed.get(), PeerAddress.TCP)) {
                return Decoded.broke("not a TCP IP address with a port: " + PeerText.printable(text));
            }
            if (!allowLoopback && AddressRules.isLoopbackHost(parsed.get().host())) {
                return Decoded.broke("a loopback address: " + PeerText.printable(text));
            }
            out.add(parsed.get());
        }
        return new Decoded(new ArrayList<>(out), Optional.empty());
    }
}
