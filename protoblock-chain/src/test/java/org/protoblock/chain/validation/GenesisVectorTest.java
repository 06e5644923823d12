package org.protoblock.chain.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.crypto.Base58;
import org.protoblock.chain.crypto.MerkleRoot;
import org.protoblock.chain.crypto.PublicKey;
import org.protoblock.chain.crypto.Secp256k1Verifier;
import org.protoblock.chain.crypto.Signatures;
import org.protoblock.chain.network.NetworkParams;
import org.protoblock.chain.network.Networks;
import org.protoblock.chain.proto.Block;
import org.protoblock.chain.proto.SignedTransaction;
import org.protoblock.chain.store.NameEntry;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.Sha256;
import org.protoblock.chain.types.ValidationException;

/** The production genesis, byte for byte, and every rule it must pass (and fail when altered). */
class GenesisVectorTest {
    private static final String FILE_SHA256 = "cf27a8e96d8d6c93f1f991c221aa53360bb0100be68cc0a395617273b5115eb4";
    private static final String BLOCK_ID = "73707225ae20f8619de77f5e14ac0c254b0692530a182efb1b1ba6914ac5fc42";
    private static final String ROOT = "d2501817a50746a32327c348078cac9932b51511917f335726ce730a6c7bedc5";
    private static final String DATA_TX = "c96ca89a0b9b219836f1d9ae7599120236b446dd96196d190034cb5747ac1ef9";
    private static final String NAME_TX = "14aaf2551bb80878446ea3cf1638b55ab9092ab9959c82dc76fa6433f230511c";
    private static final String ORACLE_HEX = "03a28b6e58fa77f98e7b32af611393d6b44e329bd00f203702b95102a212651631";
    private static final BigInteger CURVE_ORDER =
            new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

    private static byte[] bytes;
    private static ChainCodec codec;
    private static NetworkParams mainnet;
    private static BlockValidator blockValidator;
    private static TransactionValidator txValidator;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = GenesisVectorTest.class.getResourceAsStream("/networks/mainnet-genesis.block")) {
            bytes = in.readAllBytes();
        }
        codec = new ChainCodec(ChainLimits.DEFAULT);
        mainnet = Networks.mainnet();
        blockValidator = new BlockValidator(mainnet, Clock.systemUTC());
        txValidator = new TransactionValidator(mainnet);
    }

    @Test
    void fileIsTheProductionGenesis() {
        assertThat(bytes).hasSize(1015);
        assertThat(Sha256.hash(bytes).toHex()).isEqualTo(FILE_SHA256);
    }

    @Test
    void parsesAndReserializesByteIdentical() throws ValidationException {
        ChainBlock block = codec.parseBlock(bytes);
        assertThat(block.proto().toByteArray()).isEqualTo(bytes);
        assertThat(block.serializedSize()).isEqualTo(1015);
    }

    @Test
    void idsAndRootMatch() throws ValidationException {
        ChainBlock block = codec.parseBlock(bytes);
        assertThat(block.id().toHex()).isEqualTo(BLOCK_ID);
        assertThat(block.num()).isZero();
        assertThat(block.header().getTransactionId().toStringUtf8()).isEqualTo(ROOT);
        assertThat(block.txIds()).extracting(Object::toString).containsExactly(DATA_TX, NAME_TX);
        assertThat(MerkleRoot.ofIds(block.txIds())).isEqualTo(ROOT);
        for (ChainTransaction tx : block.transactions()) {
            assertThat(tx.proto().getId().toStringUtf8()).isEqualTo(tx.id().toHex());
        }
    }

    @Test
    void signaturesVerifyUnderTheOracleKey() throws ValidationException {
        ChainBlock block = codec.parseBlock(bytes);
        PublicKey oracle = PublicKey.fromHex(ORACLE_HEX);
        assertThat(oracle).isEqualTo(Networks.MAINNET_ORACLE_KEY);
        assertThat(oracle.toBase58()).isEqualTo(block.header().getGeneratorPk().toStringUtf8());
        assertThat(Secp256k1Verifier.INSTANCE.verify(oracle, block.id().hash(), block.proto().getSignedhead().getSig())).isTrue();
        for (ChainTransaction tx : block.transactions()) {
            assertThat(Base58.decode(tx.proto().getSig().toStringUtf8())).hasSize(64);
            assertThat(Secp256k1Verifier.INSTANCE.verify(oracle, tx.id().hash(), tx.proto().getSig().toStringUtf8())).isTrue();
        }
    }

    @Test
    void generatingSigIsHashOfGeneratorKeyText() throws ValidationException {
        ChainBlock block = codec.parseBlock(bytes);
        assertThat(block.header().getGeneratingSig().toStringUtf8())
                .isEqualTo(Sha256.hashAscii(block.header().getGeneratorPk().toStringUtf8()).toHex())
                .isEqualTo("61b198fd17d49893e324cd7e840f6bfc87bdf4da54afea0515b40e200b87dab6");
    }

    @Test
    void passesEveryBlockAndTransactionRule() throws ValidationException {
        ChainBlock block = codec.parseBlock(bytes);
        blockValidator.validateGenesis(block);
        List<NameEntry> names = txValidator.validateBlock(block, ChainState.empty());
        assertThat(names).hasSize(1);
        NameEntry agent = names.get(0);
        assertThat(agent.name()).isEqualTo("FantasyAgent");
        assertThat(agent.publicKey()).isEqualTo(Networks.MAINNET_ORACLE_KEY.toBase58());
        assertThat(agent.registeredBy().toHex()).isEqualTo(NAME_TX);
        assertThat(agent.num()).isZero();
    }

    @Test
    void everySingleByteAlterationFails() {
        List<String> passed = new ArrayList<>();
        for (int pos = 0; pos < bytes.length; pos++) {
            for (int mask : new int[] {0x01, 0x80, 0x20}) {
                byte[] mutated = bytes.clone();
                mutated[pos] ^= (byte) mask;
                if (failure(mutated).isEmpty()) {
                    passed.add(pos + "^" + mask);
                }
            }
        }
        assertThat(passed).as("mutations that still validate").isEmpty();
    }

    @Test
    void alteredTransactionBodyBreaksTheRoot() {
        int at = indexOf(bytes, "Satoshi Fantasy");
        assertThat(failure(replaceAt(bytes, at, "satoshi"))).contains(Rule.BAD_TRANSACTION_ROOT);
    }

    @Test
    void alteredIdFieldIsBadTxId() {
        int at = indexOf(bytes, NAME_TX);
        assertThat(failure(replaceAt(bytes, at, "0"))).contains(Rule.BAD_TX_ID);
        assertThat(failure(replaceAt(bytes, indexOf(bytes, DATA_TX) + 10, "f"))).contains(Rule.BAD_TX_ID);
    }

    @Test
    void alteredSignatureFailsWithTheSignatureRule() throws ValidationException {
        ChainBlock block = codec.parseBlock(bytes);
        String nameSig = block.transactions().get(1).proto().getSig().toStringUtf8();
        int at = indexOf(bytes, nameSig);
        char c = nameSig.charAt(20);
        assertThat(failure(replaceAt(bytes, at + 20, c == 'a' ? "b" : "a"))).contains(Rule.BAD_TX_SIGNATURE);
        assertThat(failure(replaceAt(bytes, at + 20, "0"))).contains(Rule.BAD_SIGNATURE_ENCODING);
        String dataSig = block.transactions().get(0).proto().getSig().toStringUtf8();
        int dataAt = indexOf(bytes, dataSig);
        assertThat(failure(replaceAt(bytes, dataAt + 5, dataSig.charAt(5) == 'z' ? "y" : "z"))).contains(Rule.BAD_TX_SIGNATURE);
    }

    @Test
    void highSVariantOfAValidSignatureIsRejected() throws ValidationException {
        ChainBlock block = codec.parseBlock(bytes);
        SignedTransaction nameTx = block.proto().getSignedTransactions(1);
        byte[] le = Base58.decode(nameTx.getSig().toStringUtf8());
        byte[] sBigEndian = new byte[32];
        for (int i = 0; i < 32; i++) {
            sBigEndian[i] = le[63 - i];
        }
        byte[] highS = toFixed32(CURVE_ORDER.subtract(new BigInteger(1, sBigEndian)));
        for (int i = 0; i < 32; i++) {
            le[32 + i] = highS[31 - i];
        }
        Block altered = block.proto().toBuilder()
                .setSignedTransactions(1, nameTx.toBuilder().setSig(ByteString.copyFromUtf8(Base58.encode(le))))
                .build();
        assertThat(failure(altered.toByteArray())).contains(Rule.HIGH_S_SIGNATURE);
    }

    @Test
    void alteredHeaderSignatureIsBadBlockSignature() throws ValidationException {
        ChainBlock block = codec.parseBlock(bytes);
        String sig = block.proto().getSignedhead().getSig();
        int at = indexOf(bytes, sig);
        assertThat(failure(replaceAt(bytes, at + 30, sig.charAt(30) == 'a' ? "b" : "a"))).contains(Rule.BAD_BLOCK_SIGNATURE);
    }

    @Test
    void alteredSignedNameOfTheRegistrationIsNameMismatch() throws ValidationException {
        ChainBlock block = codec.parseBlock(bytes);
        Block altered = block.proto().toBuilder()
                .setSignedTransactions(1, block.proto().getSignedTransactions(1).toBuilder().setFantasyName("FantasyAgenT"))
                .build();
        assertThat(failure(altered.toByteArray())).contains(Rule.NAME_MISMATCH);
    }

    @Test
    void alteredUnsignedFieldFailsTheGenesisIdentity() {
        // The trusted DATA tx's fantasy_name is covered by no hash or signature; only the byte-for-byte
        // genesis identity catches it.
        int at = indexOf(bytes, "FantasyAgent");
        assertThat(failure(replaceAt(bytes, at, "G"))).contains(Rule.BAD_GENESIS);
    }

    @Test
    void nonCanonicalEncodingOfTheSameBlockIsMalformed() {
        byte[] mutated = bytes.clone();
        mutated[83] ^= 0x20; // bit 33 of the timestamp varint: int32 drops it, same message
        assertThat(failure(mutated)).contains(Rule.MALFORMED_ENCODING);
    }

    @Test
    void alteredHeaderFieldBreaksTheHeaderSignature() {
        int at = indexOf(bytes, "61b198fd"); // generating_sig
        assertThat(failure(replaceAt(bytes, at, "7"))).contains(Rule.BAD_BLOCK_SIGNATURE);
    }

    @Test
    void signaturesDoNotVerifyWhenReadBigEndian() throws ValidationException {
        // FORMATS.md: the halves are little-endian; read big-endian the genesis signatures fail.
        ChainBlock block = codec.parseBlock(bytes);
        byte[] asStored = Base58.decode(block.proto().getSignedhead().getSig());
        assertThat(Secp256k1Verifier.verifyCompact(Networks.MAINNET_ORACLE_KEY, block.id().toBytes(), asStored)).isFalse();
        assertThat(Secp256k1Verifier.verifyCompact(Networks.MAINNET_ORACLE_KEY, block.id().toBytes(),
                Signatures.decode(block.proto().getSignedhead().getSig()))).isTrue();
    }

    /** Every check a node runs on block 0, in an order that reports the most specific rule. */
    private static Optional<Rule> failure(byte[] candidate) {
        try {
            ChainBlock block = codec.parseBlock(candidate);
            blockValidator.validateGenesisRules(block);
            txValidator.validateBlock(block, ChainState.empty());
            blockValidator.validateGenesis(block);
            return Optional.empty();
        } catch (ValidationException e) {
            return Optional.of(e.rule());
        }
    }

    private static int indexOf(byte[] haystack, String ascii) {
        byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found: " + ascii);
    }

    private static byte[] replaceAt(byte[] source, int at, String ascii) {
        byte[] out = source.clone();
        byte[] b = ascii.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, out, at, b.length);
        assertThat(out).isNotEqualTo(source);
        return out;
    }

    private static byte[] toFixed32(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }

    @Test
    void hexOfOracleKeyMatchesBase58() {
        assertThat(HexFormat.of().formatHex(Networks.MAINNET_ORACLE_KEY.toBytes())).isEqualTo(ORACLE_HEX);
    }
}
