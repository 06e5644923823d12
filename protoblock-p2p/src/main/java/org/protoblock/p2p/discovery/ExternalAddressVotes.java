package org.protoblock.p2p.discovery;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.session.Direction;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * Which host the Internet sees us at, by the "you are" ({@code observedAddress}) of the Hellos of
 * peers WE dialed, and which host to offer a given peer in our own record.
 *
 * <p>Rules:
 * <ul>
 *   <li>Only outbound peers vote, one vote each (its latest), at most {@link #MAX_VOTERS} voters (the
 *       oldest forgotten first). Rationale: anyone can dial us as often as it likes, so inbound
 *       "you are"s would let one attacker pick the address we advertise everywhere; outbound peers
 *       are ones we chose, across address groups (Bitcoin Core counts local address votes the same way).</li>
 *   <li>The winner is the host with most votes; a tie goes to the one voted most recently.</li>
 *   <li>The host we offer a peer ({@link #hostFor}): an outbound peer's own "you are"; a LAN or
 *       loopback inbound peer's own "you are" if that too is a LAN or loopback host (it can only
 *       mislead itself); any other inbound peer the winner, or none.</li>
 * </ul>
 * Costs: O(voters) memory and per {@link #winner}.
 *
 * <p>Threads: not thread-safe; the owner ({@link PeerExchange}) guards it with one lock.
 */
final class ExternalAddressVotes {
    static final int MAX_VOTERS = 64;

    private final Map<NodeId, String> votes = new LinkedHashMap<>();

    /** An outbound peer said we are {@code host}. */
    void vote(NodeId voter, String host) {
        votes.remove(voter); // re-insert: its vote becomes the most recent
        votes.put(voter, host);
        if (votes.size() > MAX_VOTERS) {
            votes.remove(votes.keySet().iterator().next());
        }
    }

    /** The host most outbound peers see us at; empty before any voted. */
    Optional<String> winner() {
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Integer> lastVote = new HashMap<>();
        int order = 0;
        for (String host : votes.values()) {
            counts.merge(host, 1, Integer::sum);
            lastVote.put(host, order++);
        }
        return counts.keySet().stream().max((a, b) -> counts.get(a).equals(counts.get(b))
                ? Integer.compare(lastVote.get(a), lastVote.get(b)) : Integer.compare(counts.get(a), counts.get(b)));
    }

    int voters() {
        return votes.size();
    }

    /** The host of ours to offer a peer at {@code remote} that said we are {@code observed} (rules above). */
    static Optional<String> hostFor(Direction direction, PeerAddress remote, Optional<PeerAddress> observed,
                                    Optional<String> winner) {
        if (direction == Direction.OUTBOUND) {
            return observed.map(PeerAddress::host);
        }
        boolean lanPeer = PeerAddress.TCP.equals(remote.scheme()) && IpLiterals.isLocal(remote.host());
        if (lanPeer && observed.isPresent() && IpLiterals.isLocal(observed.get().host())) {
            return observed.map(PeerAddress::host);
        }
        return winner;
    }
}
