package org.protoblock.bench;

import com.southernstorm.noise.protocol.CipherState;
import com.southernstorm.noise.protocol.CipherStatePair;
import com.southernstorm.noise.protocol.DHState;
import com.southernstorm.noise.protocol.HandshakeState;
import com.southernstorm.noise.protocol.Noise;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.noise.HandshakePayload;
import org.protoblock.p2p.noise.NoiseCiphers;
import org.protoblock.p2p.noise.NoiseException;
import org.protoblock.p2p.noise.NoiseHandshake;
import org.protoblock.p2p.noise.NoisePrologue;

/**
 * The Noise layer's costs, operations per second:
 *
 * <ul>
 *   <li>{@code x25519*}: one X25519 agreement (scalar multiplication of a peer's public key) with
 *       noise-java's pure-Java Curve25519, BouncyCastle's {@link X25519} and the JDK's XDH
 *       {@link KeyAgreement} (which includes turning 32 raw bytes into JDK key objects, as a node
 *       would have to); {@code x25519Base*}: deriving a public key (scalar times the base point).</li>
 *   <li>{@code handshake*}: one whole Noise_XX handshake, both sides in memory, no I/O: through
 *       {@link NoiseHandshake} (the node's implementation, started with a {@link NodeKey} as
 *       NoiseHandshakeHandler does; {@code handshakeWithIdentity*} also carries and verifies each
 *       side's {@link HandshakePayload}, the Ed25519 proof of its node id, as the node does) and
 *       directly through noise-java's
 *       {@link HandshakeState} (the seed's implementation, kept for comparison); on 1 thread and
 *       on one per processor.</li>
 *   <li>{@code transport*}: encrypt then decrypt one transport message of {@code size} bytes (one
 *       side sends, the other receives): {@link NoiseCiphers} (the node's), noise-java's
 *       {@link CipherState}, and the raw ChaCha20-Poly1305 of the JDK and of BouncyCastle with a
 *       fresh nonce per message. MB/s = ops/s × size.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 6, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class NoiseBenchmark {
    /** Thread CPU time per call, for each measured call in {@link #main}. */
    private static final long CPU_NANOS_PER_CASE = 3_000_000_000L;
    private static final byte[] PROLOGUE = new NoisePrologue(1, "bench").toBytes();
    private static final byte[] EMPTY = new byte[0];

    byte[] alicePrivate;
    byte[] bobPrivate;
    byte[] bobPublic;
    NodeKey alice;
    NodeKey bob;
    DHState noiseJavaAlice;
    DHState noiseJavaBob;
    PrivateKey jdkAlice;
    KeyFactory jdkKeys;

    @Setup(Level.Trial)
    public void keys() throws GeneralSecurityException {
        Random random = new Random(20_261_127L);
        alicePrivate = new byte[32];
        bobPrivate = new byte[32];
        random.nextBytes(alicePrivate);
        random.nextBytes(bobPrivate);
        alice = NodeKey.fromPrivateKey(alicePrivate);
        bob = NodeKey.fromPrivateKey(bobPrivate);
        bobPublic = bob.staticPublicKey();
        noiseJavaAlice = Noise.createDH("25519");
        noiseJavaAlice.setPrivateKey(alicePrivate, 0);
        noiseJavaBob = Noise.createDH("25519");
        noiseJavaBob.setPublicKey(bobPublic, 0);
        jdkKeys = KeyFactory.getInstance("XDH");
        jdkAlice = jdkKeys.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, alicePrivate));
        byte[] a = x25519NoiseJava();
        if (!Arrays.equals(a, x25519BouncyCastle()) || !Arrays.equals(a, x25519Jdk())) {
            throw new IllegalStateException("X25519 implementations disagree");
        }
    }

    /**
     * The same calls timed by this thread's CPU time instead of the clock, which stays meaningful
     * on a machine shared with other work (JMH's wall-clock throughput does not): {@code java -cp
     * protoblock-bench/target/benchmarks.jar org.protoblock.bench.NoiseBenchmark}. Prints CPU
     * microseconds per call and the calls per second one core would do.
     */
    public static void main(String[] args) throws Exception {
        NoiseBenchmark b = new NoiseBenchmark();
        b.keys();
        cpu("x25519NoiseJava", b::x25519NoiseJava);
        cpu("x25519BouncyCastle", b::x25519BouncyCastle);
        cpu("x25519Jdk", b::x25519Jdk);
        cpu("x25519BaseNoiseJava", b::x25519BaseNoiseJava);
        cpu("x25519BaseBouncyCastle", b::x25519BaseBouncyCastle);
        cpu("handshake (both sides)", b::handshake);
        cpu("handshakeWithIdentity (both sides, as the node)", b::handshakeWithIdentity);
        cpu("handshakeNoiseJava (both sides)", b::handshakeNoiseJava);
        for (int size : new int[] {1024, 65519}) {
            Transport t = new Transport();
            t.size = size;
            t.session(b);
            cpu("transportNoiseCiphers size=" + size, () -> b.transportNoiseCiphers(t));
            cpu("transportNoiseJava size=" + size, () -> b.transportNoiseJava(t));
            cpu("transportJdk size=" + size, () -> b.transportJdk(t));
            cpu("transportBouncyCastle size=" + size, () -> b.transportBouncyCastle(t));
        }
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static void cpu(String name, Call call) throws Exception {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (long end = threads.getCurrentThreadCpuTime() + CPU_NANOS_PER_CASE / 3; threads.getCurrentThreadCpuTime() < end; ) {
            call.run(); // warm-up
        }
        long calls = 0;
        long start = threads.getCurrentThreadCpuTime();
        long now = start;
        while (now - start < CPU_NANOS_PER_CASE) {
            for (int i = 0; i < 16; i++) {
                call.run();
            }
            calls += 16;
            now = threads.getCurrentThreadCpuTime();
        }
        double micros = (now - start) / 1e3 / calls;
        System.out.printf("%-36s %10.1f us CPU per call  %10.0f calls/s per core%n", name, micros, 1e6 / micros);
    }

    // ---- one X25519 operation

    @Benchmark
    public byte[] x25519NoiseJava() {
        byte[] out = new byte[32];
        noiseJavaAlice.calculate(out, 0, noiseJavaBob);
        return out;
    }

    @Benchmark
    public byte[] x25519BouncyCastle() {
        byte[] out = new byte[32];
        X25519.scalarMult(alicePrivate, 0, bobPublic, 0, out, 0);
        return out;
    }

    @Benchmark
    public byte[] x25519Jdk() throws GeneralSecurityException {
        PublicKey peer = jdkKeys.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, uCoordinate(bobPublic)));
        KeyAgreement ka = KeyAgreement.getInstance("X25519");
        ka.init(jdkAlice);
        ka.doPhase(peer, true);
        return ka.generateSecret();
    }

    @Benchmark
    public byte[] x25519BaseNoiseJava() throws GeneralSecurityException {
        DHState dh = Noise.createDH("25519");
        dh.setPrivateKey(alicePrivate, 0);
        byte[] out = new byte[32];
        dh.getPublicKey(out, 0);
        return out;
    }

    @Benchmark
    public byte[] x25519BaseBouncyCastle() {
        byte[] out = new byte[32];
        X25519.scalarMultBase(alicePrivate, 0, out, 0);
        return out;
    }

    /** RFC 7748 decodeUCoordinate: little-endian, top bit masked. */
    private static BigInteger uCoordinate(byte[] key) {
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = key[31 - i];
        }
        be[0] &= 0x7f;
        return new BigInteger(1, be);
    }

    // ---- one whole XX handshake, both sides

    @Benchmark
    @Threads(1)
    public byte[] handshakeOneThread() throws NoiseException {
        return handshake();
    }

    @Benchmark
    @Threads(Threads.MAX)
    public byte[] handshakeAllCores() throws NoiseException {
        return handshake();
    }

    @Benchmark
    @Threads(1)
    public NodeId handshakeWithIdentityOneThread() throws NoiseException {
        return handshakeWithIdentity();
    }

    @Benchmark
    @Threads(Threads.MAX)
    public NodeId handshakeWithIdentityAllCores() throws NoiseException {
        return handshakeWithIdentity();
    }

    @Benchmark
    @Threads(1)
    public byte[] handshakeNoiseJavaOneThread() throws GeneralSecurityException {
        return handshakeNoiseJava();
    }

    private byte[] handshake() throws NoiseException {
        try (NoiseHandshake i = NoiseHandshake.initiator(alice, PROLOGUE);
             NoiseHandshake r = NoiseHandshake.responder(bob, PROLOGUE)) {
            r.readMessage(i.writeMessage(EMPTY));
            i.readMessage(r.writeMessage(EMPTY));
            r.readMessage(i.writeMessage(EMPTY));
            NoiseCiphers ic = i.split();
            NoiseCiphers rc = r.split();
            ic.destroy();
            rc.destroy();
            return ic.handshakeHash();
        }
    }

    /** The node's handshake: messages 2 and 3 carry the sender's identity proof, which the other side verifies. */
    private NodeId handshakeWithIdentity() throws NoiseException {
        try (NoiseHandshake i = NoiseHandshake.initiator(alice, PROLOGUE);
             NoiseHandshake r = NoiseHandshake.responder(bob, PROLOGUE)) {
            r.readMessage(i.writeMessage(EMPTY));
            byte[] bobProof = i.readMessage(r.writeMessage(HandshakePayload.encode(bob.staticKeyProof())));
            NodeId bobId = HandshakePayload.verify(bobProof, i.remoteStaticKey().orElseThrow());
            byte[] aliceProof = r.readMessage(i.writeMessage(HandshakePayload.encode(alice.staticKeyProof())));
            NodeId aliceId = HandshakePayload.verify(aliceProof, r.remoteStaticKey().orElseThrow());
            i.split().destroy();
            r.split().destroy();
            return aliceId.compareTo(bobId) < 0 ? aliceId : bobId;
        }
    }

    private byte[] handshakeNoiseJava() throws GeneralSecurityException {
        HandshakeState i = new HandshakeState(NoiseHandshake.PROTOCOL_NAME, HandshakeState.INITIATOR);
        HandshakeState r = new HandshakeState(NoiseHandshake.PROTOCOL_NAME, HandshakeState.RESPONDER);
        i.getLocalKeyPair().setPrivateKey(alicePrivate, 0);
        r.getLocalKeyPair().setPrivateKey(bobPrivate, 0);
        i.setPrologue(PROLOGUE, 0, PROLOGUE.length);
        r.setPrologue(PROLOGUE, 0, PROLOGUE.length);
        i.start();
        r.start();
        byte[] buf = new byte[NoiseHandshake.MAX_MESSAGE];
        byte[] payload = new byte[NoiseHandshake.MAX_MESSAGE];
        r.readMessage(buf, 0, i.writeMessage(buf, 0, EMPTY, 0, 0), payload, 0);
        i.readMessage(buf, 0, r.writeMessage(buf, 0, EMPTY, 0, 0), payload, 0);
        r.readMessage(buf, 0, i.writeMessage(buf, 0, EMPTY, 0, 0), payload, 0);
        byte[] hash = i.getHandshakeHash().clone();
        CipherStatePair a = i.split();
        CipherStatePair b = r.split();
        a.destroy();
        b.destroy();
        i.destroy();
        r.destroy();
        return hash;
    }

    // ---- transport: one message encrypted by one side and decrypted by the other

    /** Per-thread session keys and buffers. */
    @State(Scope.Thread)
    public static class Transport {
        @Param({"1024", "65519"})
        int size;

        byte[] plain;
        byte[] wire;
        NoiseCiphers ours;
        NoiseCiphers oursPeer;
        CipherState noiseJavaSend;
        CipherState noiseJavaReceive;
        SecretKeySpec jdkKey;
        /** One Cipher per direction, as a link would have: the JDK refuses re-init with the same nonce. */
        Cipher jdkSend;
        Cipher jdkReceive;
        KeyParameter bcKey;
        ChaCha20Poly1305 bcCipher;
        long nonce;

        @Setup(Level.Trial)
        public void session(NoiseBenchmark keys) throws Exception {
            plain = new byte[size];
            new Random(size).nextBytes(plain);
            wire = new byte[size + NoiseHandshake.TAG_BYTES];
            NoiseHandshake i = NoiseHandshake.initiator(keys.alicePrivate, PROLOGUE);
            NoiseHandshake r = NoiseHandshake.responder(keys.bobPrivate, PROLOGUE);
            r.readMessage(i.writeMessage(EMPTY));
            i.readMessage(r.writeMessage(EMPTY));
            r.readMessage(i.writeMessage(EMPTY));
            ours = i.split();
            oursPeer = r.split();
            noiseJavaSend = Noise.createCipher("ChaChaPoly");
            noiseJavaReceive = Noise.createCipher("ChaChaPoly");
            byte[] key = new byte[32];
            new Random(1).nextBytes(key);
            noiseJavaSend.initializeKey(key, 0);
            noiseJavaReceive.initializeKey(key, 0);
            jdkKey = new SecretKeySpec(key, "ChaCha20");
            jdkSend = Cipher.getInstance("ChaCha20-Poly1305");
            jdkReceive = Cipher.getInstance("ChaCha20-Poly1305");
            bcKey = new KeyParameter(key);
            bcCipher = new ChaCha20Poly1305();
        }

        /** The Noise nonce: 4 zero bytes, then the 64-bit counter little-endian. */
        byte[] nextNonce() {
            byte[] n = new byte[12];
            long v = nonce++;
            for (int k = 0; k < 8; k++) {
                n[4 + k] = (byte) (v >>> (8 * k));
            }
            return n;
        }
    }

    @Benchmark
    public int transportNoiseCiphers(Transport t) throws NoiseException {
        int n = t.ours.encrypt(t.plain, 0, t.size, t.wire, 0);
        return t.oursPeer.decrypt(t.wire, 0, n);
    }

    @Benchmark
    public int transportNoiseJava(Transport t) throws GeneralSecurityException {
        int n = t.noiseJavaSend.encryptWithAd(null, t.plain, 0, t.wire, 0, t.size);
        return t.noiseJavaReceive.decryptWithAd(null, t.wire, 0, t.wire, 0, n);
    }

    @Benchmark
    public int transportJdk(Transport t) throws GeneralSecurityException {
        byte[] nonce = t.nextNonce();
        t.jdkSend.init(Cipher.ENCRYPT_MODE, t.jdkKey, new IvParameterSpec(nonce));
        int n = t.jdkSend.doFinal(t.plain, 0, t.size, t.wire, 0);
        t.jdkReceive.init(Cipher.DECRYPT_MODE, t.jdkKey, new IvParameterSpec(nonce));
        return t.jdkReceive.doFinal(t.wire, 0, n, t.wire, 0);
    }

    @Benchmark
    public int transportBouncyCastle(Transport t) throws GeneralSecurityException {
        byte[] nonce = t.nextNonce();
        try {
            t.bcCipher.init(true, new AEADParameters(t.bcKey, 128, nonce));
            int n = t.bcCipher.processBytes(t.plain, 0, t.size, t.wire, 0);
            n += t.bcCipher.doFinal(t.wire, n);
            t.bcCipher.init(false, new AEADParameters(t.bcKey, 128, nonce));
            int m = t.bcCipher.processBytes(t.wire, 0, n, t.wire, 0);
            return m + t.bcCipher.doFinal(t.wire, m);
        } catch (org.bouncycastle.crypto.InvalidCipherTextException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
