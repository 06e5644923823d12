package org.protoblock.bench;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.crypto.PublicKey;
import org.protoblock.chain.crypto.Secp256k1Verifier;
import org.protoblock.chain.crypto.Signatures;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.Sha256;
import org.protoblock.chain.types.ValidationException;

/**
 * ECDSA/secp256k1 verifications per second of Protoblock signatures.
 *
 * <ul>
 *   <li>{@code libsecp256k1*}: the node's verifier ({@link Secp256k1Verifier#verifyCompact}, ACINQ JNI)
 *       on decoded compact r||s; the public key is parsed from its 33 bytes on every call.</li>
 *   <li>{@code bouncyCastle*}: BouncyCastle's {@link ECDSASigner} on the optimized secp256k1 curve
 *       ({@link CustomNamedCurves}), doing the same work per call: decompress the key, read r and s
 *       as big-endian magnitudes, verify.</li>
 *   <li>{@code validatorPath*}: what validation calls for one transaction, base58 signature text
 *       decode + low-S check + libsecp256k1 verify ({@link Secp256k1Verifier#verify}).</li>
 * </ul>
 * Each runs on 1 thread and on {@link Threads#MAX} (one per available processor); every thread walks
 * its own cursor over {@value #SIGNATURES} pre-made (key, digest, signature) triples from a seeded
 * Random, all checked valid in setup.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 6, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class SignatureVerifyBenchmark {
    static final int SIGNATURES = 1024;
    private static final long SEED = 20_240_901L;
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE);

    PublicKey[] keys;
    byte[][] keyBytes;
    byte[][] digests;
    Hash256[] digestHashes;
    String[] signatureTexts;
    /** Compact r||s, big-endian, low s: what {@link Signatures#decode} returns. */
    byte[][] compactSignatures;

    @Setup(Level.Trial)
    public void makeSignatures() throws ValidationException {
        Random random = new Random(SEED);
        keys = new PublicKey[SIGNATURES];
        keyBytes = new byte[SIGNATURES][];
        digests = new byte[SIGNATURES][];
        digestHashes = new Hash256[SIGNATURES];
        signatureTexts = new String[SIGNATURES];
        compactSignatures = new byte[SIGNATURES][];
        for (int i = 0; i < SIGNATURES; i++) {
            KeyPair pair = KeyPair.fromRandom(random);
            byte[] message = new byte[64];
            random.nextBytes(message);
            keys[i] = pair.publicKey();
            keyBytes[i] = pair.publicKey().toBytes();
            digests[i] = Sha256.digest(message);
            digestHashes[i] = Hash256.wrap(digests[i]);
            signatureTexts[i] = pair.sign(digests[i]);
            compactSignatures[i] = Signatures.decode(signatureTexts[i]);
        }
        checkEveryImplementation();
    }

    /** Fails the run if any implementation disagrees on a valid or a tampered signature. */
    private void checkEveryImplementation() throws ValidationException {
        for (int i = 0; i < SIGNATURES; i++) {
            if (!libsecp256k1(i) || !bouncyCastle(i) || !validatorPath(i)) {
                throw new IllegalStateException("signature " + i + " does not verify");
            }
        }
        byte[] tampered = digests[0].clone();
        tampered[0] ^= 1;
        if (Secp256k1Verifier.verifyCompact(keys[0], tampered, compactSignatures[0])
                || bouncyCastleVerify(keyBytes[0], tampered, compactSignatures[0])) {
            throw new IllegalStateException("a tampered digest verifies");
        }
    }

    /** Per-thread position in the triples. */
    @State(Scope.Thread)
    public static class Cursor {
        private int next;

        int next() {
            int i = next;
            next = (i + 1) & (SIGNATURES - 1);
            return i;
        }
    }

    // ---- libsecp256k1 (the node's verifier)

    @Benchmark
    @Threads(1)
    public boolean libsecp256k1OneThread(Cursor cursor) {
        return libsecp256k1(cursor.next());
    }

    @Benchmark
    @Threads(Threads.MAX)
    public boolean libsecp256k1AllCores(Cursor cursor) {
        return libsecp256k1(cursor.next());
    }

    // ---- BouncyCastle

    @Benchmark
    @Threads(1)
    public boolean bouncyCastleOneThread(Cursor cursor) {
        return bouncyCastle(cursor.next());
    }

    @Benchmark
    @Threads(Threads.MAX)
    public boolean bouncyCastleAllCores(Cursor cursor) {
        return bouncyCastle(cursor.next());
    }

    // ---- the validator's full path: base58 text → compact → libsecp256k1

    @Benchmark
    @Threads(1)
    public boolean validatorPathOneThread(Cursor cursor) throws ValidationException {
        return validatorPath(cursor.next());
    }

    @Benchmark
    @Threads(Threads.MAX)
    public boolean validatorPathAllCores(Cursor cursor) throws ValidationException {
        return validatorPath(cursor.next());
    }

    private boolean libsecp256k1(int i) {
        return Secp256k1Verifier.verifyCompact(keys[i], digests[i], compactSignatures[i]);
    }

    private boolean bouncyCastle(int i) {
        return bouncyCastleVerify(keyBytes[i], digests[i], compactSignatures[i]);
    }

    private boolean validatorPath(int i) throws ValidationException {
        return Secp256k1Verifier.INSTANCE.verify(keys[i], digestHashes[i], signatureTexts[i]);
    }

    static boolean bouncyCastleVerify(byte[] compressedKey, byte[] digest32, byte[] compact) {
        ECPublicKeyParameters key = new ECPublicKeyParameters(CURVE.getCurve().decodePoint(compressedKey), DOMAIN);
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(compact, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(compact, 32, 64));
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, key);
        return signer.verifySignature(digest32, r, s);
    }
}
