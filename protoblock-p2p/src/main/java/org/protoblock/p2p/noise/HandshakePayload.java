package org.protoblock.p2p.noise;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.protoblock.p2p.identity.IdentityKey;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.identity.StaticKeyProof;
import org.protoblock.p2p.wire.proto.NoiseIdentity;

/**
 * The payload of Noise messages 2 and 3: a {@link NoiseIdentity} proving which node id holds the
 * sender's static key. Noise itself treats it as opaque bytes; this class is the one place that
 * reads it. Public for the handshake benchmark, which measures the node's whole handshake.
 * Stateless.
 */
public final class HandshakePayload {
    /** A NoiseIdentity is 100 bytes; anything much larger is not one. */
    static final int MAX_BYTES = 256;

    private HandshakePayload() {
    }

    public static byte[] encode(StaticKeyProof proof) {
        return NoiseIdentity.newBuilder()
                .setIdentityKey(ByteString.copyFrom(proof.identity().toBytes()))
                .setStaticKeySignature(ByteString.copyFrom(proof.signature()))
                .build().toByteArray();
    }

    /**
     * The node id that {@code payload} proves holds {@code remoteStaticKey}.
     *
     * @throws NoiseException when the payload is malformed or its signature does not verify
     */
    public static NodeId verify(byte[] payload, byte[] remoteStaticKey) throws NoiseException {
        if (payload.length == 0) {
            throw new NoiseException("no identity payload (a node from before identity keys?)");
        }
        if (payload.length > MAX_BYTES) {
            throw new NoiseException("identity payload of " + payload.length + " bytes");
        }
        NoiseIdentity identity;
        try {
            identity = NoiseIdentity.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new NoiseException("identity payload does not parse");
        }
        if (identity.getIdentityKey().size() != NodeId.BYTES
                || identity.getStaticKeySignature().size() != IdentityKey.SIGNATURE_BYTES) {
            throw new NoiseException("identity payload with a key of " + identity.getIdentityKey().size()
                    + " bytes and a signature of " + identity.getStaticKeySignature().size() + " bytes");
        }
        StaticKeyProof proof = new StaticKeyProof(NodeId.fromBytes(identity.getIdentityKey().toByteArray()),
                identity.getStaticKeySignature().toByteArray());
        if (!proof.verifies(remoteStaticKey)) {
            throw new NoiseException("identity " + proof.identity().shortForm() + " did not sign the static key");
        }
        return proof.identity();
    }
}
