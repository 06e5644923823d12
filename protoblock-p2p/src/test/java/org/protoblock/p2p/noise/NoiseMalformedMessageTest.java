package org.protoblock.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.protoblock.p2p.identity.NodeKey;

/**
 * Malformed handshake messages (seeded random truncations, bit flips, extensions, garbage) end
 * the handshake with a NoiseException and nothing else. Message 1 ({@code -> e}) carries no
 * authentication, so a changed one may be accepted there; it must then fail at message 2.
 */
class NoiseMalformedMessageTest {
    private static final byte[] PROLOGUE = new NoisePrologue(1, "devnet").toBytes();
    private static final int ROUNDS = 300;
    private final NodeKey alice = NodeKey.generate();
    private final NodeKey bob = NodeKey.generate();

    /** A fresh pair of handshakes advanced until {@code message} (0, 1 or 2) is the next to be read. */
    private record Pair(NoiseHandshake writer, NoiseHandshake reader, byte[] message) {
    }

    private Pair upTo(int message, byte[] payload) throws NoiseException {
        NoiseHandshake i = NoiseHandshake.initiator(alice.staticPrivateKey(), PROLOGUE);
        NoiseHandshake r = NoiseHandshake.responder(bob.staticPrivateKey(), PROLOGUE);
        NoiseHandshake[] sides = {i, r};
        for (int k = 0; k < message; k++) {
            sides[(k + 1) % 2].readMessage(sides[k % 2].writeMessage(new byte[0]));
        }
        return new Pair(sides[message % 2], sides[(message + 1) % 2], sides[message % 2].writeMessage(payload));
    }

    private static byte[] mutate(byte[] m, Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> Arrays.copyOf(m, random.nextInt(m.length)); // truncated
            case 1 -> { // one bit flipped
                byte[] c = m.clone();
                c[random.nextInt(c.length)] ^= (byte) (1 << random.nextInt(8));
                yield c;
            }
            case 2 -> { // extended
                byte[] c = Arrays.copyOf(m, m.length + 1 + random.nextInt(64));
                for (int k = m.length; k < c.length; k++) {
                    c[k] = (byte) random.nextInt();
                }
                yield c;
            }
            case 3 -> { // garbage of about the right size
                byte[] c = new byte[random.nextInt(m.length + 32)];
                random.nextBytes(c);
                yield c;
            }
            default -> { // a byte run zeroed (keys to the low-order point 0, tags to zero)
                byte[] c = m.clone();
                int from = random.nextInt(c.length);
                Arrays.fill(c, from, Math.min(c.length, from + 1 + random.nextInt(48)), (byte) 0);
                yield c;
            }
        };
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void anyChangeToAnAuthenticatedMessageFailsWithNoiseException(int message) throws Exception {
        Random random = new Random(1400 + message);
        for (int round = 0; round < ROUNDS; round++) {
            Pair p = upTo(message, random.nextBoolean() ? new byte[0] : new byte[random.nextInt(40)]);
            byte[] bad = mutate(p.message(), random);
            if (Arrays.equals(bad, p.message())) {
                continue;
            }
            assertThatThrownBy(() -> p.reader().readMessage(bad)).as("round %d", round).isInstanceOf(NoiseException.class);
            assertThat(p.reader().hasFailed()).isTrue();
            assertThat(p.reader().remoteStaticKey()).as("no identity learned from a bad message %d", message).isEmpty();
            assertThatThrownBy(() -> p.reader().readMessage(p.message())).isInstanceOf(NoiseException.class);
            assertThatThrownBy(() -> p.reader().split()).isInstanceOf(NoiseException.class);
        }
    }

    @Test
    void aChangedFirstMessageIsAcceptedOrRefusedButTheHandshakeNeverCompletes() throws Exception {
        Random random = new Random(1400);
        for (int round = 0; round < ROUNDS; round++) {
            Pair p = upTo(0, new byte[random.nextInt(40)]);
            byte[] bad = mutate(p.message(), random);
            if (Arrays.equals(bad, p.message())) {
                continue;
            }
            try {
                p.reader().readMessage(bad);
                byte[] second = p.reader().writeMessage(new byte[0]);
                p.writer().readMessage(second);
                fail("round %d: the initiator accepted an answer to a message it did not send", round);
            } catch (NoiseException expected) {
                assertThat(p.reader().hasFailed() || p.writer().hasFailed()).isTrue();
            }
        }
    }

    @Test
    void garbageNeverEscapesAsAnythingButNoiseException() {
        Random random = new Random(1401);
        for (int round = 0; round < ROUNDS; round++) {
            boolean initiatorSide = random.nextBoolean();
            byte[] garbage = new byte[random.nextInt(200)];
            random.nextBytes(garbage);
            try {
                NoiseHandshake h = initiatorSide ? NoiseHandshake.initiator(alice.staticPrivateKey(), PROLOGUE)
                        : NoiseHandshake.responder(bob.staticPrivateKey(), PROLOGUE);
                if (initiatorSide) {
                    h.writeMessage(new byte[0]);
                }
                h.readMessage(garbage);
                h.writeMessage(new byte[0]); // the responder's answer: the first DH with the garbage key
            } catch (NoiseException expected) {
                // the only allowed failure
            }
        }
    }

    @Test
    void aLowOrderEphemeralKeyIsRefused() throws Exception {
        NoiseHandshake r = NoiseHandshake.responder(bob.staticPrivateKey(), PROLOGUE);
        r.readMessage(new byte[32]); // e = 0: not checked on reading (no DH yet)
        assertThatThrownBy(() -> r.writeMessage(new byte[0]))
                .isInstanceOf(NoiseException.class).hasMessageContaining("low-order");
        assertThat(r.hasFailed()).isTrue();
    }

    @Test
    void oversizedMessagesAndPayloadsAreRefused() throws Exception {
        NoiseHandshake r = NoiseHandshake.responder(bob.staticPrivateKey(), PROLOGUE);
        assertThatThrownBy(() -> r.readMessage(new byte[NoiseHandshake.MAX_MESSAGE + 1])).isInstanceOf(NoiseException.class);
        NoiseHandshake i = NoiseHandshake.initiator(alice.staticPrivateKey(), PROLOGUE);
        assertThatThrownBy(() -> i.writeMessage(new byte[NoiseHandshake.MAX_MESSAGE - 31])).isInstanceOf(NoiseException.class);
        NoiseHandshake i2 = NoiseHandshake.initiator(alice.staticPrivateKey(), PROLOGUE);
        assertThat(i2.writeMessage(new byte[NoiseHandshake.MAX_MESSAGE - 32])).hasSize(NoiseHandshake.MAX_MESSAGE);
    }

    @Test
    void aTransportMessageReplayedOrOutOfOrderDoesNotDecrypt() throws Exception {
        Pair p = upTo(2, new byte[0]);
        p.reader().readMessage(p.message());
        NoiseCiphers i = p.writer().split();
        NoiseCiphers r = p.reader().split();
        byte[] first = new byte[16 + 5];
        byte[] second = new byte[16 + 5];
        int n1 = i.encrypt(new byte[5], 0, 5, first, 0);
        int n2 = i.encrypt(new byte[5], 0, 5, second, 0);
        assertThatThrownBy(() -> r.decrypt(second.clone(), 0, n2)).as("out of order").isInstanceOf(NoiseException.class);
        assertThat(r.decrypt(first.clone(), 0, n1)).isEqualTo(5);
        assertThatThrownBy(() -> r.decrypt(first.clone(), 0, n1)).as("replayed").isInstanceOf(NoiseException.class);
        assertThat(r.decrypt(second, 0, n2)).as("a failed decryption does not advance the nonce").isEqualTo(5);
        assertThatThrownBy(() -> r.decrypt(new byte[15], 0, 15)).isInstanceOf(NoiseException.class);
    }
}
