package org.protoblock.p2p.reachability;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.protoblock.p2p.discovery.AddressRules;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * Which addresses a dial-back may go to: a TCP IP literal with a real port whose IP is the one we
 * see the requester at. Rationale: dialing any other host on a peer's word would make every node a
 * free port scanner and a reflector against third parties (AutoNAT v2 makes such dials cost the
 * requester; we simply do not do them).
 */
final class DialBackTargets {
    private DialBackTargets() {
    }

    /** The address to dial for {@code requested} from a peer seen at {@code requester}, or why not. */
    static Result check(String requested, PeerAddress requester) {
        if (requested.length() > PeerAddress.MAX_TEXT_LENGTH) {
            return Result.refused("address text too long");
        }
        Optional<PeerAddress> parsed = PeerAddress.parse(requested);
        if (parsed.isEmpty() || !AddressRules.acceptable(parsed.get(), PeerAddress.TCP)) {
            return Result.refused("not a tcp://ip:port address");
        }
        if (!PeerAddress.TCP.equals(requester.scheme()) || !sameIp(parsed.get().host(), requester.host())) {
            return Result.refused("not the address we see you at");
        }
        return new Result(parsed, "");
    }

    /** Both are IP literals (checked by the caller for {@code a}); compares them as addresses, not text. */
    static boolean sameIp(String a, String b) {
        try {
            return literal(a) && literal(b) && InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An IP literal, so that {@link InetAddress#getByName} never does a name lookup. */
    private static boolean literal(String host) {
        return AddressRules.acceptable(new PeerAddress(PeerAddress.TCP, host, 1), PeerAddress.TCP)
                || host.equals("0.0.0.0") || host.equals("::");
    }

    record Result(Optional<PeerAddress> target, String refusal) {
        static Result refused(String why) {
            return new Result(Optional.empty(), why);
        }
    }
}
