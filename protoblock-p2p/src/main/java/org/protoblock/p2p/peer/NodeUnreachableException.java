package org.protoblock.p2p.peer;

/**
 * A dial by node id that found no way to the node: no signed record of it, or every address in
 * the record failed. The message names the id and, per address tried, why it failed.
 */
public final class NodeUnreachableException extends RuntimeException {
    public NodeUnreachableException(String message) {
        super(message, null, false, false);
    }
}
