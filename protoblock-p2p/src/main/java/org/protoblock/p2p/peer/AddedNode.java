package org.protoblock.p2p.peer;

/**
 * An operator peer ({@code addnode … add}) as {@code getaddednodeinfo} shows it.
 *
 * @param target    the address ("tcp://host:port") or the 64-hex node id the operator gave
 * @param connected whether a link to it is open now
 */
public record AddedNode(String target, boolean connected) {
}
