package org.protoblock.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.southernstorm.noise.protocol.CipherStatePair;
import com.southernstorm.noise.protocol.HandshakeState;
import com.southernstorm.noise.protocol.Noise;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.identity.NodeKey;

/**
 * Wire compatibility with noise-java's HandshakeState, which nodes running the seed's code use:
 * a whole handshake with noise-java on either side, then transport messages both ways (small,
 * the largest allowed, and many in a row so the nonces advance), bytes compared with what
 * noise-java makes of them.
 */
class NoiseInteropTest {
    private static final byte[] PROLOGUE = new NoisePrologue(1, "devnet").toBytes();
    private final NodeKey ourKey = NodeKey.generate();
    private final NodeKey theirKey = NodeKey.generate();
    private final Random random = new Random(14);

    /** A noise-java handshake started with {@code key}, as the seed's NoiseHandshake did. */
    private static HandshakeState noiseJava(int role, NodeKey key) throws Exception {
        HandshakeState hs = new HandshakeState(NoiseHandshake.PROTOCOL_NAME, role);
        hs.getLocalKeyPair().setPrivateKey(key.staticPrivateKey(), 0);
        hs.setPrologue(PROLOGUE, 0, PROLOGUE.length);
        hs.start();
        return hs;
    }

    private static byte[] write(HandshakeState hs, byte[] payload) throws Exception {
        byte[] out = new byte[NoiseHandshake.MAX_MESSAGE];
        return Arrays.copyOf(out, hs.writeMessage(out, 0, payload, 0, payload.length));
    }

    private static byte[] read(HandshakeState hs, byte[] message) throws Exception {
        byte[] out = new byte[NoiseHandshake.MAX_MESSAGE];
        return Arrays.copyOf(out, hs.readMessage(message, 0, message.length, out, 0));
    }

    private static byte[] staticKeyOf(HandshakeState hs) {
        byte[] key = new byte[32];
        hs.getRemotePublicKey().getPublicKey(key, 0);
        return key;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void noiseJavaInitiatorAndOurResponderAgree() throws Exception {
        HandshakeState theirs = noiseJava(HandshakeState.INITIATOR, theirKey);
        NoiseHandshake ours = NoiseHandshake.responder(ourKey.staticPrivateKey(), PROLOGUE);
        byte[] p1 = randomBytes(20);
        byte[] p2 = randomBytes(7);
        byte[] p3 = randomBytes(100);

        assertThat(ours.readMessage(write(theirs, p1))).isEqualTo(p1);
        assertThat(read(theirs, ours.writeMessage(p2))).isEqualTo(p2);
        assertThat(ours.readMessage(write(theirs, p3))).isEqualTo(p3);

        finishAndTalk(ours, theirs);
    }

    @Test
    void ourInitiatorAndNoiseJavaResponderAgree() throws Exception {
        NoiseHandshake ours = NoiseHandshake.initiator(ourKey, PROLOGUE); // the handler's way in
        HandshakeState theirs = noiseJava(HandshakeState.RESPONDER, theirKey);
        byte[] p1 = PROLOGUE;
        byte[] p2 = new byte[0];
        byte[] p3 = randomBytes(1000);

        assertThat(read(theirs, ours.writeMessage(p1))).isEqualTo(p1);
        assertThat(ours.readMessage(write(theirs, p2))).isEqualTo(p2);
        assertThat(read(theirs, ours.writeMessage(p3))).isEqualTo(p3);

        finishAndTalk(ours, theirs);
    }

    /** Both sides finished, learned each other's static key and the same hash; then transport. */
    private void finishAndTalk(NoiseHandshake ours, HandshakeState theirs) throws Exception {
        assertThat(ours.isFinished()).isTrue();
        assertThat(theirs.getAction()).isEqualTo(HandshakeState.SPLIT);
        assertThat(ours.remoteStaticKey()).hasValueSatisfying(k -> assertThat(k).isEqualTo(theirKey.staticPublicKey()));
        assertThat(staticKeyOf(theirs)).isEqualTo(ourKey.staticPublicKey());
        byte[] theirHash = theirs.getHandshakeHash().clone();
        NoiseCiphers ourCiphers = ours.split();
        assertThat(ourCiphers.handshakeHash()).isEqualTo(theirHash);
        transportBothWays(ourCiphers, theirs.split());
    }

    /** Messages of several sizes each way, interleaved, then a tampered one refused by both. */
    private void transportBothWays(NoiseCiphers ours, CipherStatePair theirs) throws Exception {
        int[] sizes = {0, 1, 222, 4096, NoiseCiphers.MAX_PLAINTEXT, 17, NoiseCiphers.MAX_PLAINTEXT, 3};
        for (int round = 0; round < 40; round++) {
            byte[] plain = randomBytes(sizes[round % sizes.length]);

            byte[] wire = new byte[plain.length + NoiseHandshake.TAG_BYTES];
            int n = ours.encrypt(plain, 0, plain.length, wire, 0);
            assertThat(n).isEqualTo(wire.length);
            byte[] got = new byte[plain.length];
            assertThat(theirs.getReceiver().decryptWithAd(null, wire, 0, got, 0, n)).isEqualTo(plain.length);
            assertThat(got).isEqualTo(plain);

            byte[] back = new byte[plain.length + NoiseHandshake.TAG_BYTES];
            int m = theirs.getSender().encryptWithAd(null, plain, 0, back, 0, plain.length);
            assertThat(ours.decrypt(back, 0, m)).isEqualTo(plain.length);
            assertThat(Arrays.copyOf(back, plain.length)).isEqualTo(plain);
        }
        byte[] wire = new byte[10 + NoiseHandshake.TAG_BYTES];
        int m = theirs.getSender().encryptWithAd(null, new byte[10], 0, wire, 0, 10);
        wire[3] ^= 0x40;
        assertThatThrownBy(() -> ours.decrypt(wire, 0, m)).isInstanceOf(NoiseException.class);
    }

    @Test
    void noncesNearTheTopEncodeAsNoiseJavaDoesAndTheLastIsNeverUsed() throws Exception {
        byte[] key = randomBytes(32);
        CipherState ours = new CipherState();
        ours.initializeKey(key);
        com.southernstorm.noise.protocol.CipherState theirs = Noise.createCipher("ChaChaPoly");
        theirs.initializeKey(key, 0);
        long nearTop = -3L; // 2^64 - 3, unsigned
        ours.setNonce(nearTop);
        theirs.setNonce(nearTop);
        byte[] plain = randomBytes(64);
        for (int i = 0; i < 2; i++) { // 2^64-3 and 2^64-2: the last two usable nonces
            byte[] a = new byte[80];
            byte[] b = new byte[80];
            ours.encryptWithAd(null, plain, 0, 64, a, 0);
            theirs.encryptWithAd(null, plain, 0, b, 0, 64);
            assertThat(a).isEqualTo(b);
        }
        assertThatThrownBy(() -> ours.encryptWithAd(null, plain, 0, 64, new byte[80], 0))
                .isInstanceOf(IllegalStateException.class);
        CipherState receiver = new CipherState();
        receiver.initializeKey(key);
        receiver.setNonce(-1L);
        assertThatThrownBy(() -> receiver.decryptWithAd(null, new byte[80], 0, 80, new byte[80], 0))
                .isInstanceOf(NoiseException.class);
    }
}
