package org.protoblock.p2p.noise;

import java.util.Arrays;
import java.util.Optional;
import org.protoblock.p2p.identity.NodeKey;

/**
 * One Noise_XX_25519_ChaChaPoly_SHA256 handshake as a state machine without I/O: feed it the
 * messages read, send what it writes, then {@link #split()} into transport ciphers. The
 * HandshakeState of the Noise spec (rev. 34, section 5.3) for the one pattern we speak (7.5):
 *
 * <pre>
 *   -> e
 *   <- e, ee, s, es
 *   -> s, se
 * </pre>
 *
 * Message sizes follow: 32 + payload, 32 + 48 + payload + 16, 48 + payload + 16 bytes. Every
 * malformed message ends the handshake with a {@link NoiseException} (and {@link #hasFailed()});
 * nothing else escapes {@link #readMessage}. Wire-compatible with noise-java's HandshakeState,
 * which the seed used (NoiseInteropTest).
 *
 * <p>Threads: not thread-safe; owned by one link's event loop or its crypto task (one test
 * thread), one at a time.
 */
public final class NoiseHandshake implements AutoCloseable {
    public static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
    /** Largest Noise message (handshake or transport), per the Noise spec. */
    public static final int MAX_MESSAGE = 65535;
    public static final int KEY_BYTES = Curve25519.KEY_BYTES;
    public static final int TAG_BYTES = CipherState.TAG_BYTES;
    /** An encrypted static key: the key and its tag. */
    private static final int SEALED_KEY_BYTES = KEY_BYTES + TAG_BYTES;

    private enum Step { WRITE_E, READ_E, WRITE_E_EE_S_ES, READ_E_EE_S_ES, WRITE_S_SE, READ_S_SE, SPLIT, DONE, FAILED }

    private final boolean initiator;
    private final SymmetricState symmetric = new SymmetricState(PROTOCOL_NAME);
    private final byte[] s;
    private final byte[] sPublic;
    private final Optional<byte[]> fixedEphemeral;
    private byte[] e = new byte[0];
    private byte[] ePublic = new byte[0];
    private Optional<byte[]> rs = Optional.empty();
    private byte[] re = new byte[0];
    private Step step;

    /** Takes ownership of both key arrays: callers pass copies. */
    private NoiseHandshake(boolean initiator, byte[] staticPrivateKey, byte[] staticPublicKey, byte[] prologue,
                           Optional<byte[]> fixedEphemeral) {
        if (staticPrivateKey.length != KEY_BYTES || staticPublicKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("X25519 keys of " + staticPrivateKey.length + " and "
                    + staticPublicKey.length + " bytes");
        }
        this.initiator = initiator;
        this.s = staticPrivateKey; // our copy, zeroed by close()
        this.sPublic = staticPublicKey;
        this.fixedEphemeral = fixedEphemeral.map(byte[]::clone);
        symmetric.mixHash(prologue);
        step = initiator ? Step.WRITE_E : Step.READ_E;
    }

    /** With the node's key, whose public half is known: saves deriving it (a tenth of a handshake's cost). */
    public static NoiseHandshake initiator(NodeKey staticKey, byte[] prologue) {
        return new NoiseHandshake(true, staticKey.staticPrivateKey(), staticKey.staticPublicKey(), prologue, Optional.empty());
    }

    public static NoiseHandshake responder(NodeKey staticKey, byte[] prologue) {
        return new NoiseHandshake(false, staticKey.staticPrivateKey(), staticKey.staticPublicKey(), prologue, Optional.empty());
    }

    public static NoiseHandshake initiator(byte[] staticPrivateKey, byte[] prologue) {
        return new NoiseHandshake(true, staticPrivateKey.clone(), Curve25519.publicKey(staticPrivateKey), prologue, Optional.empty());
    }

    public static NoiseHandshake responder(byte[] staticPrivateKey, byte[] prologue) {
        return new NoiseHandshake(false, staticPrivateKey.clone(), Curve25519.publicKey(staticPrivateKey), prologue, Optional.empty());
    }

    /** With a fixed ephemeral key: only for published test vectors, never on the network. */
    static NoiseHandshake withFixedEphemeral(boolean initiator, byte[] staticPrivateKey, byte[] prologue,
                                             byte[] ephemeralPrivateKey) {
        return new NoiseHandshake(initiator, staticPrivateKey.clone(), Curve25519.publicKey(staticPrivateKey), prologue,
                Optional.of(ephemeralPrivateKey));
    }

    public boolean isInitiator() {
        return initiator;
    }

    /** True when it is our turn to write a handshake message. */
    public boolean wantsToWrite() {
        return step == Step.WRITE_E || step == Step.WRITE_E_EE_S_ES || step == Step.WRITE_S_SE;
    }

    public boolean wantsToRead() {
        return step == Step.READ_E || step == Step.READ_E_EE_S_ES || step == Step.READ_S_SE;
    }

    /** All three messages are done; {@link #split()} gives the transport ciphers. */
    public boolean isFinished() {
        return step == Step.SPLIT;
    }

    public boolean hasFailed() {
        return step == Step.FAILED;
    }

    public byte[] writeMessage(byte[] payload) throws NoiseException {
        if (!wantsToWrite()) {
            throw new NoiseException("not our turn to write");
        }
        int overhead = switch (step) {
            case WRITE_E -> KEY_BYTES;
            case WRITE_E_EE_S_ES -> KEY_BYTES + SEALED_KEY_BYTES + TAG_BYTES;
            default -> SEALED_KEY_BYTES + TAG_BYTES;
        };
        if (payload.length > MAX_MESSAGE - overhead) {
            throw new NoiseException("handshake payload of " + payload.length + " bytes");
        }
        byte[] message = new byte[overhead + payload.length];
        int at = 0;
        try {
            switch (step) {
                case WRITE_E -> at = writeE(message, at);
                case WRITE_E_EE_S_ES -> {
                    at = writeE(message, at);
                    symmetric.mixKey(Curve25519.agree(e, re)); // ee
                    at += symmetric.encryptAndHash(sPublic, 0, KEY_BYTES, message, at); // s
                    symmetric.mixKey(Curve25519.agree(s, re)); // es (responder side)
                }
                default -> {
                    at += symmetric.encryptAndHash(sPublic, 0, KEY_BYTES, message, at); // s
                    symmetric.mixKey(Curve25519.agree(s, re)); // se (initiator side)
                }
            }
            at += symmetric.encryptAndHash(payload, 0, payload.length, message, at);
        } catch (NoiseException | RuntimeException ex) {
            step = Step.FAILED;
            throw ex instanceof NoiseException n ? n : new NoiseException("cannot write handshake message: " + ex.getMessage());
        }
        step = step == Step.WRITE_E ? Step.READ_E_EE_S_ES : step == Step.WRITE_E_EE_S_ES ? Step.READ_S_SE : Step.SPLIT;
        return at == message.length ? message : Arrays.copyOf(message, at);
    }

    /** Writes our new ephemeral public key (e) and mixes it into h. */
    private int writeE(byte[] message, int at) {
        e = fixedEphemeral.map(byte[]::clone).orElseGet(Curve25519::generatePrivateKey);
        ePublic = Curve25519.publicKey(e);
        System.arraycopy(ePublic, 0, message, at, KEY_BYTES);
        symmetric.mixHash(ePublic);
        return at + KEY_BYTES;
    }

    /** Reads one handshake message and returns its (decrypted) payload. */
    public byte[] readMessage(byte[] message) throws NoiseException {
        if (!wantsToRead()) {
            throw new NoiseException("unexpected handshake message");
        }
        try {
            byte[] payload = read(message);
            step = step == Step.READ_E ? Step.WRITE_E_EE_S_ES : step == Step.READ_E_EE_S_ES ? Step.WRITE_S_SE : Step.SPLIT;
            return payload;
        } catch (NoiseException ex) {
            step = Step.FAILED;
            throw ex;
        } catch (RuntimeException ex) { // a bug, not the peer: still a failed handshake, with its cause named
            step = Step.FAILED;
            throw new NoiseException("bad handshake message (" + ex.getClass().getSimpleName() + ")");
        }
    }

    private byte[] read(byte[] message) throws NoiseException {
        if (message.length > MAX_MESSAGE) {
            throw new NoiseException("handshake message of " + message.length + " bytes");
        }
        int minimum = switch (step) {
            case READ_E -> KEY_BYTES;
            case READ_E_EE_S_ES -> KEY_BYTES + SEALED_KEY_BYTES + TAG_BYTES;
            default -> SEALED_KEY_BYTES + TAG_BYTES;
        };
        if (message.length < minimum) {
            throw new NoiseException("handshake message of " + message.length + " bytes, at least " + minimum + " expected");
        }
        if (step == Step.READ_E) {
            int at = readE(message, 0);
            return symmetric.decryptAndHash(message, at, message.length - at);
        }
        int at = step == Step.READ_E_EE_S_ES ? readE(message, 0) : 0;
        if (step == Step.READ_E_EE_S_ES) {
            symmetric.mixKey(Curve25519.agree(e, re)); // ee
        }
        byte[] key = symmetric.decryptAndHash(message, at, SEALED_KEY_BYTES); // s
        at += SEALED_KEY_BYTES;
        symmetric.mixKey(Curve25519.agree(e, key)); // es on the initiator, se on the responder: both DH(e, rs)
        byte[] payload = symmetric.decryptAndHash(message, at, message.length - at);
        // Known only once the whole message authenticated.
        rs = Optional.of(key);
        return payload;
    }

    /** Reads the peer's ephemeral public key (re) and mixes it into h. */
    private int readE(byte[] message, int at) {
        re = Arrays.copyOfRange(message, at, at + KEY_BYTES);
        symmetric.mixHash(re);
        return at + KEY_BYTES;
    }

    /** The peer's static public key, once the message carrying it has been read. */
    public Optional<byte[]> remoteStaticKey() {
        return rs.map(byte[]::clone);
    }

    /** Ends the handshake: the ciphers for each direction and the handshake hash. */
    public NoiseCiphers split() throws NoiseException {
        if (!isFinished()) {
            throw new NoiseException("handshake not finished");
        }
        byte[] hash = symmetric.handshakeHash();
        CipherState[] pair = symmetric.split();
        step = Step.DONE;
        return initiator ? new NoiseCiphers(pair[0], pair[1], hash) : new NoiseCiphers(pair[1], pair[0], hash);
    }

    /** Zeroes every secret: our keys, the chaining key and the handshake cipher. */
    @Override
    public void close() {
        Arrays.fill(s, (byte) 0);
        Arrays.fill(e, (byte) 0);
        fixedEphemeral.ifPresent(k -> Arrays.fill(k, (byte) 0));
        symmetric.destroy();
        if (step != Step.DONE) {
            step = Step.FAILED;
        }
    }
}
