package org.protoblock.chain.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.crypto.Secp256k1Verifier;
import org.protoblock.chain.crypto.SignatureVerifier;
import org.protoblock.chain.proto.TransType;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.testing.MemoryChainState;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.Sha256;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.chain.validation.BlockValidator;
import org.protoblock.chain.validation.TransactionValidator;

class ParallelSignatureVerifierTest {
    private final ParallelSignatureVerifier verifier = new ParallelSignatureVerifier(3);

    @AfterEach
    void close() {
        verifier.close();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void resultsMatchSequentialVerification(long seed) throws Exception {
        Random random = new Random(seed);
        List<KeyPair> keys = List.of(KeyPair.fromRandom(random), KeyPair.fromRandom(random), KeyPair.fromRandom(random));
        List<SignatureCheck> checks = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            KeyPair signer = keys.get(random.nextInt(3));
            Hash256 digest = Sha256.hash(new byte[] {(byte) i, (byte) seed});
            String sig = signer.sign(digest.toBytes());
            switch (random.nextInt(4)) {
                case 0 -> checks.add(new SignatureCheck(keys.get(random.nextInt(3)).publicKey(), digest, sig)); // maybe the wrong key
                case 1 -> checks.add(new SignatureCheck(signer.publicKey(), digest, "0OIl")); // undecodable
                default -> checks.add(new SignatureCheck(signer.publicKey(), digest, sig));
            }
        }
        ParallelSignatureVerifier.BatchResult result = verifier.verify(checks);
        for (int i = 0; i < checks.size(); i++) {
            SignatureCheck c = checks.get(i);
            boolean expected;
            try {
                expected = Secp256k1Verifier.INSTANCE.verify(c.key(), c.digest(), c.signature());
            } catch (ValidationException e) {
                expected = false;
            }
            assertThat(result.isValid(i)).as("check %d", i).isEqualTo(expected);
            assertThat(result.verified().contains(c)).isEqualTo(expected);
        }
        assertThat(result.invalidCount()).isPositive();
        assertThat(verifier.verify(List.of()).allValid()).isTrue();
    }

    @Test
    void preVerifiedBlocksNeedNoSecondVerification() throws Exception {
        Devnet devnet = Devnet.create(2);
        MemoryChainState state = devnet.genesisState();
        List<ChainBlock> blocks = new ArrayList<>();
        ChainBlock parent = devnet.genesis();
        // names registered in the batch itself are found in their NameTrans payloads
        ChainBlock first = devnet.childOf(parent, devnet.nameTx("alice"), devnet.dataTx("FantasyAgent"));
        blocks.add(first);
        ChainBlock second = devnet.childOf(first, 1, devnet.dataTx("alice"), devnet.tx("x", TransType.STAMPED));
        blocks.add(second);

        List<SignatureCheck> checks = SignatureChecks.forBlocks(blocks, devnet.params(), state);
        assertThat(checks).hasSize(2 + 2 + 2);
        ParallelSignatureVerifier.BatchResult result = verifier.verify(checks);
        assertThat(result.allValid()).isTrue();

        AtomicInteger fallbacks = new AtomicInteger();
        SignatureVerifier counting = (key, digest, sig) -> {
            fallbacks.incrementAndGet();
            return Secp256k1Verifier.INSTANCE.verify(key, digest, sig);
        };
        VerifiedSignatures cached = new VerifiedSignatures(java.util.Set.copyOf(checks), counting);
        BlockValidator blocksV = devnet.blockValidator().withVerifier(cached);
        TransactionValidator txV = devnet.txValidator().withVerifier(cached);
        ChainBlock prev = devnet.genesis();
        for (ChainBlock block : blocks) {
            blocksV.validate(block, prev);
            state.apply(block, txV.validateBlock(block, state));
            prev = block;
        }
        assertThat(fallbacks).hasValue(0);
    }

    @Test
    void aCachedSignatureDoesNotValidateADifferentSignatureText() throws ValidationException {
        KeyPair key = KeyPair.fromRandom(new Random(1));
        Hash256 digest = Sha256.hash(new byte[] {1});
        String sig = key.sign(digest.toBytes());
        VerifiedSignatures cached = new VerifiedSignatures(java.util.Set.of(new SignatureCheck(key.publicKey(), digest, sig)));
        assertThat(cached.verify(key.publicKey(), digest, sig)).isTrue();
        String other = KeyPair.fromRandom(new Random(2)).sign(digest.toBytes());
        assertThat(cached.verify(key.publicKey(), digest, other)).isFalse();
    }
}
