package org.protoblock.p2p.noise;

import java.util.Optional;
import org.protoblock.p2p.identity.NodeId;

/**
 * User event fired down the pipeline when the Noise handshake completed: the peer proved it holds
 * its Noise static key and that the identity key {@code remoteNodeId} signed that static key. On the responder, {@code peerPrologue} is what the
 * initiator bound into the handshake (it may name another network; the Hello exchange then refuses
 * the link with a reason); the initiator's own prologue was used, so it is empty there.
 */
public record SecureLinkEstablished(NodeId remoteNodeId, Optional<NoisePrologue> peerPrologue) {
}
