package org.protoblock.p2p.noise;

import com.southernstorm.noise.protocol.CipherStatePair;
import com.southernstorm.noise.protocol.DHState;
import com.southernstorm.noise.protocol.HandshakeState;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * One Noise_XX_25519_ChaChaPoly_SHA256 handshake as a state machine without I/O: feed it the
 * messages read, send what it writes, then {@link #split()} into transport ciphers.
 *
 * <pre>
 *   -> e
 *   <- e, ee, s, es
 *   -> s, se
 * </pre>
 *
 * Not thread-safe: owned by one link's event loop (or one test thread).
 */
public final class NoiseHandshake implements AutoCloseable {
    public static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
    /** Largest Noise message (handshake or transport), per the Noise spec. */
    public static final int MAX_MESSAGE = 65535;
    public static final int KEY_BYTES = 32;
    public static final int TAG_BYTES = 16;

    private final HandshakeState state;
    private final byte[] buffer = new byte[MAX_MESSAGE];

    private NoiseHandshake(HandshakeState state) {
        this.state = state;
    }

    public static NoiseHandshake initiator(byte[] staticPrivateKey, byte[] prologue) {
        return create(HandshakeState.INITIATOR, staticPrivateKey, prologue, Optional.empty());
    }

    public static NoiseHandshake responder(byte[] staticPrivateKey, byte[] prologue) {
        return create(HandshakeState.RESPONDER, staticPrivateKey, prologue, Optional.empty());
    }

    /** With a fixed ephemeral key: only for published test vectors, never on the network. */
    static NoiseHandshake withFixedEphemeral(boolean initiator, byte[] staticPrivateKey, byte[] prologue,
                                             byte[] ephemeralPrivateKey) {
        return create(initiator ? HandshakeState.INITIATOR : HandshakeState.RESPONDER, staticPrivateKey, prologue,
                Optional.of(ephemeralPrivateKey));
    }

    private static NoiseHandshake create(int role, byte[] staticPrivateKey, byte[] prologue,
                                         Optional<byte[]> fixedEphemeral) {
        try {
            HandshakeState hs = new HandshakeState(PROTOCOL_NAME, role);
            hs.getLocalKeyPair().setPrivateKey(staticPrivateKey, 0);
            fixedEphemeral.ifPresent(e -> hs.getFixedEphemeralKey().setPrivateKey(e, 0));
            hs.setPrologue(prologue, 0, prologue.length);
            hs.start();
            return new NoiseHandshake(hs);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("noise-java lacks " + PROTOCOL_NAME, e);
        }
    }

    public boolean isInitiator() {
        return state.getRole() == HandshakeState.INITIATOR;
    }

    /** True when it is our turn to write a handshake message. */
    public boolean wantsToWrite() {
        return state.getAction() == HandshakeState.WRITE_MESSAGE;
    }

    public boolean wantsToRead() {
        return state.getAction() == HandshakeState.READ_MESSAGE;
    }

    /** All three messages are done; {@link #split()} gives the transport ciphers. */
    public boolean isFinished() {
        return state.getAction() == HandshakeState.SPLIT;
    }

    public boolean hasFailed() {
        return state.getAction() == HandshakeState.FAILED;
    }

    public byte[] writeMessage(byte[] payload) throws NoiseException {
        if (!wantsToWrite()) {
            throw new NoiseException("not our turn to write");
        }
        try {
            int len = state.writeMessage(buffer, 0, payload, 0, payload.length);
            return Arrays.copyOf(buffer, len);
        } catch (GeneralSecurityException | IllegalStateException | IllegalArgumentException e) {
            throw new NoiseException("cannot write handshake message: " + e.getMessage());
        }
    }

    /** Reads one handshake message and returns its (decrypted) payload. */
    public byte[] readMessage(byte[] message) throws NoiseException {
        if (!wantsToRead()) {
            throw new NoiseException("unexpected handshake message");
        }
        if (message.length > MAX_MESSAGE) {
            throw new NoiseException("handshake message of " + message.length + " bytes");
        }
        try {
            int len = state.readMessage(message, 0, message.length, buffer, 0);
            return Arrays.copyOf(buffer, len);
        } catch (GeneralSecurityException | IllegalStateException | IllegalArgumentException e) {
            throw new NoiseException("bad handshake message (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The peer's static public key, once the message carrying it has been read. */
    public Optional<byte[]> remoteStaticKey() {
        if (!state.hasRemotePublicKey()) {
            return Optional.empty();
        }
        DHState remote = state.getRemotePublicKey();
        byte[] key = new byte[remote.getPublicKeyLength()];
        remote.getPublicKey(key, 0);
        return Optional.of(key);
    }

    /** Ends the handshake: the ciphers for each direction and the handshake hash. */
    public NoiseCiphers split() throws NoiseException {
        if (!isFinished()) {
            throw new NoiseException("handshake not finished");
        }
        // noise-java returns its internal buffer, which split() reuses: copy first.
        byte[] hash = state.getHandshakeHash().clone();
        CipherStatePair pair = state.split();
        return new NoiseCiphers(pair.getSender(), pair.getReceiver(), hash);
    }

    @Override
    public void close() {
        state.destroy();
    }
}
