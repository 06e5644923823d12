package org.protoblock.chain.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.protoblock.chain.proto.Block;
import org.protoblock.chain.proto.BlockHeader;
import org.protoblock.chain.proto.Data;
import org.protoblock.chain.proto.DataTransition;
import org.protoblock.chain.proto.FantasybitProto;
import org.protoblock.chain.proto.MessageData;
import org.protoblock.chain.proto.NameTrans;
import org.protoblock.chain.proto.ProjectionTrans;
import org.protoblock.chain.proto.SignedBlockHeader;
import org.protoblock.chain.proto.SignedTransaction;
import org.protoblock.chain.proto.StampedTrans;
import org.protoblock.chain.proto.TrType;
import org.protoblock.chain.proto.TransType;
import org.protoblock.chain.proto.Transaction;
import org.protoblock.chain.proto.TransferTrans;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.Sha256;
import org.protoblock.chain.types.ValidationException;

class ChainCodecTest {
    private static byte[] genesis;
    private final ChainCodec codec = new ChainCodec(ChainLimits.DEFAULT);

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = ChainCodecTest.class.getResourceAsStream("/networks/mainnet-genesis.block")) {
            genesis = in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomBlocksWithUnknownFieldsAndExtensionsRoundTripByteIdentical(long seed) throws ValidationException {
        Random random = new Random(seed);
        for (int i = 0; i < 30; i++) {
            Block block = randomBlock(random);
            byte[] bytes = block.toByteArray();
            ChainBlock parsed = codec.parseBlock(bytes);
            assertThat(parsed.proto().toByteArray()).isEqualTo(bytes);
            assertThat(parsed.proto()).isEqualTo(block);
            for (int t = 0; t < parsed.transactions().size(); t++) {
                ChainTransaction tx = parsed.transactions().get(t);
                assertThat(tx.id().hash()).isEqualTo(Sha256.hash(block.getSignedTransactions(t).getTrans().toByteArray()));
                assertThat(codec.parseTransaction(tx.proto().toByteArray()).proto().toByteArray())
                        .isEqualTo(block.getSignedTransactions(t).toByteArray());
            }
        }
    }

    @Test
    void headerAloneParses() throws ValidationException {
        ChainBlock block = codec.parseBlock(genesis);
        byte[] header = block.proto().getSignedhead().toByteArray();
        assertThat(codec.parseHeader(header).toByteArray()).isEqualTo(header);
    }

    @Test
    void everyTruncationIsMalformedOrACanonicalPrefix() {
        int malformed = 0;
        for (int length = 0; length < genesis.length; length++) {
            byte[] prefix = Arrays.copyOf(genesis, length);
            Optional<Rule> rule = ruleOf(() -> codec.parseBlock(prefix));
            if (rule.isPresent()) {
                assertThat(rule).contains(Rule.MALFORMED_ENCODING);
                malformed++;
            }
        }
        assertThat(malformed).isGreaterThan(genesis.length - 10); // only cuts at the few field boundaries parse
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void randomGarbageOnlyEverRaisesValidationException(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 3000; i++) {
            byte[] bytes;
            if (random.nextBoolean()) {
                bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
            } else { // mutate a valid block in a few places: deeper into the parser
                bytes = genesis.clone();
                for (int m = 1 + random.nextInt(4); m > 0; m--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            byte[] input = bytes;
            ruleOf(() -> codec.parseBlock(input));
            ruleOf(() -> codec.parseTransaction(input));
            ruleOf(() -> codec.parseHeader(input));
        }
    }

    @Test
    void oversizedInputIsRejectedBeforeParsing() {
        ChainCodec small = new ChainCodec(new ChainLimits(1000, 10, 500, 120, 1, 1, 1));
        assertThat(ruleOf(() -> small.parseBlock(genesis))).contains(Rule.OVERSIZED);
        assertThat(ruleOf(() -> small.parseTransaction(new byte[501]))).contains(Rule.OVERSIZED);
        assertThat(ruleOf(() -> codec.parseBlock(new byte[ChainLimits.DEFAULT.maxBlockBytes() + 1]))).contains(Rule.OVERSIZED);
    }

    @Test
    void aTransactionOverItsLimitInsideABlockIsOversized() throws ValidationException {
        int largest = codec.parseBlock(genesis).transactions().stream().mapToInt(ChainTransaction::serializedSize).max().orElseThrow();
        ChainCodec small = new ChainCodec(new ChainLimits(4096, 10, largest - 1, 120, 1, 1, 1));
        assertThat(ruleOf(() -> small.parseBlock(genesis))).contains(Rule.OVERSIZED);
    }

    @Test
    void tooManyTransactionsAreCountedBeforeParsing() {
        Block.Builder block = Block.newBuilder();
        for (int i = 0; i < 11; i++) {
            block.addSignedTransactions(SignedTransaction.newBuilder().setFantasyName("n" + i));
        }
        ChainCodec small = new ChainCodec(new ChainLimits(1 << 20, 10, 1000, 120, 1, 1, 1));
        assertThat(ruleOf(() -> small.parseBlock(block.build().toByteArray()))).contains(Rule.TOO_MANY_TRANSACTIONS);
        // a huge count of empty entries: rejected by the pre-scan without building half a million messages
        byte[] absurd = new byte[3 * 500_000]; // under the 2 MiB block limit, 50x the count limit
        for (int i = 0; i < absurd.length; i += 3) {
            absurd[i] = (byte) 0xa2; // field 20, length-delimited
            absurd[i + 1] = 0x01;
            absurd[i + 2] = 0x00;  // empty SignedTransaction
        }
        assertThat(ruleOf(() -> codec.parseBlock(absurd))).contains(Rule.TOO_MANY_TRANSACTIONS);
    }

    @Test
    void nonCanonicalEncodingIsMalformed() {
        SignedTransaction tx = SignedTransaction.newBuilder().setFantasyName("a").setId(ByteString.copyFromUtf8("b")).build();
        byte[] bytes = tx.toByteArray();
        // fields out of order: fantasy_name (40) before id (20)
        byte[] swapped = concat(Arrays.copyOfRange(bytes, 3, 6), Arrays.copyOfRange(bytes, 0, 3));
        assertThat(ruleOf(() -> codec.parseTransaction(swapped))).contains(Rule.MALFORMED_ENCODING);
        assertThatThrownBy(() -> codec.parseTransaction(new byte[] {(byte) 0xff})).isInstanceOf(ValidationException.class);
    }

    // ---- random messages

    static Block randomBlock(Random random) {
        BlockHeader.Builder header = BlockHeader.newBuilder()
                .setVersion(random.nextInt(5))
                .setNum(random.nextInt(1_000_000))
                .setPrevId(hexText(random))
                .setTimestamp(random.nextInt())
                .setGeneratorPk(ByteString.copyFromUtf8("k" + random.nextInt()))
                .setBasetarget(random.nextLong())
                .setBlocktype(random.nextBoolean() ? BlockHeader.Type.NORMAL : BlockHeader.Type.DATA)
                .setTransactionId(hexText(random));
        if (random.nextBoolean()) {
            header.setUnknownFields(unknown(random, 100, 200));
        }
        Block.Builder block = Block.newBuilder()
                .setSignedhead(SignedBlockHeader.newBuilder().setHead(header).setSig("s" + random.nextInt()));
        int txs = random.nextInt(6);
        for (int i = 0; i < txs; i++) {
            block.addSignedTransactions(randomTx(random));
        }
        if (random.nextBoolean()) {
            block.setUnknownFields(unknown(random, 1000, 5000)); // Block extensions nobody registered
        }
        return block.build();
    }

    static SignedTransaction randomTx(Random random) {
        TransType type = TransType.forNumber(random.nextInt(11));
        Transaction.Builder trans = Transaction.newBuilder().setVersion(1 + random.nextInt(4)).setType(type);
        if (random.nextBoolean()) {
            trans.setNonce(random.nextLong());
        }
        switch (random.nextInt(5)) {
            case 0 -> trans.setExtension(FantasybitProto.nameTran, NameTrans.newBuilder()
                    .setFantasyName("name" + random.nextInt()).setPublicKey(hexText(random)).setAmAgent(random.nextBoolean())
                    .setUnknownFields(unknown(random, 70, 90)).build());
            case 1 -> trans.setExtension(FantasybitProto.dataTrans, DataTransition.newBuilder()
                    .setType(TrType.SEASONSTART_VALUE).setSeason(random.nextInt(3000)).setWeek(0)
                    .addData(Data.newBuilder().setType(Data.Type.MESSAGE_VALUE)
                            .setExtension(FantasybitProto.messageData, MessageData.newBuilder().setMsg("m" + random.nextLong()).build()))
                    .build());
            case 2 -> trans.setExtension(FantasybitProto.projTran, ProjectionTrans.newBuilder()
                    .setUnknownFields(unknown(random, 1, 50)).build()); // opaque payload carried as unknown fields
            case 3 -> trans.setExtension(FantasybitProto.stampedTrans, StampedTrans.newBuilder()
                    .setUnknownFields(unknown(random, 1, 50)).build());
            default -> trans.setExtension(FantasybitProto.transferTran, TransferTrans.getDefaultInstance());
        }
        if (random.nextBoolean()) {
            trans.setUnknownFields(unknown(random, 500, 600)); // an extension number nobody registered
        }
        return SignedTransaction.newBuilder()
                .setTrans(trans)
                .setId(hexText(random))
                .setSig(ByteString.copyFromUtf8("sig" + random.nextLong()))
                .setFantasyName("f" + random.nextInt(100))
                .build();
    }

    /** Unknown fields numbered in [from, to), in increasing order (canonical). */
    static UnknownFieldSet unknown(Random random, int from, int to) {
        UnknownFieldSet.Builder set = UnknownFieldSet.newBuilder();
        int number = from + random.nextInt(5);
        for (int n = 1 + random.nextInt(3); n > 0 && number < to; n--, number += 1 + random.nextInt(5)) {
            UnknownFieldSet.Field.Builder field = UnknownFieldSet.Field.newBuilder();
            switch (random.nextInt(4)) {
                case 0 -> field.addVarint(random.nextLong());
                case 1 -> field.addFixed32(random.nextInt());
                case 2 -> field.addFixed64(random.nextLong());
                default -> {
                    byte[] b = new byte[random.nextInt(20)];
                    random.nextBytes(b);
                    field.addLengthDelimited(ByteString.copyFrom(b));
                }
            }
            set.addField(number, field.build());
        }
        return set.build();
    }

    static ByteString hexText(Random random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return ByteString.copyFromUtf8(java.util.HexFormat.of().formatHex(b));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    interface Parse {
        Object run() throws ValidationException;
    }

    /** The rule the parse fails with; fails the test on any other exception. */
    static Optional<Rule> ruleOf(Parse parse) {
        try {
            parse.run();
            return Optional.empty();
        } catch (ValidationException e) {
            return Optional.of(e.rule());
        } catch (RuntimeException e) {
            fail("a non-ValidationException escaped", e);
            return Optional.empty();
        }
    }
}
