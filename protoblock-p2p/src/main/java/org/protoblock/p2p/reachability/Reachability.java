package org.protoblock.p2p.reachability;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.protoblock.p2p.nat.PortMapping;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * What this node knows of its own reachability: a snapshot, replaced as a whole on every change.
 *
 * @param state    PUBLIC once an address was verified by dial-backs, PRIVATE once every checked
 *                 address was refuted, UNKNOWN before any verdict
 * @param verified addresses others proved they can dial (the only ones we advertise beyond loopback)
 * @param mapping  the gateway's port mapping, if we hold one
 */
public record Reachability(State state, List<PeerAddress> verified, Optional<PortMapping> mapping) {
    public enum State {
        UNKNOWN, PRIVATE, PUBLIC;

        /** "unknown", "private" or "public", as {@code getnetworkinfo} shows it. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final Reachability INITIAL = new Reachability(State.UNKNOWN, List.of(), Optional.empty());

    public Reachability {
        Objects.requireNonNull(state, "state");
        verified = List.copyOf(verified);
        Objects.requireNonNull(mapping, "mapping");
    }
}
