package org.protoblock.p2p.noise;

/** A Noise message that does not decrypt, parse or fit: the peer is broken or hostile. */
public final class NoiseException extends Exception {
    public NoiseException(String message) {
        super(message, null, false, false);
    }
}
