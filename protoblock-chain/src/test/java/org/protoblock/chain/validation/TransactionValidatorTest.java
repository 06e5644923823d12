package org.protoblock.chain.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.protoblock.chain.crypto.KeyPair;
import org.protoblock.chain.proto.FantasybitProto;
import org.protoblock.chain.proto.NameTrans;
import org.protoblock.chain.proto.SignedTransaction;
import org.protoblock.chain.proto.TransType;
import org.protoblock.chain.store.NameEntry;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.testing.MemoryChainState;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.ValidationException;

/** One test per transaction rule (a transaction breaking exactly that rule fails with it), and random valid chains. */
class TransactionValidatorTest {
    private static final long HOUR = 3600;
    private static final long NS = 1_000_000_000L;

    private Devnet devnet;
    private MemoryChainState state;
    private ChainBlock tip;
    private TransactionValidator validator;

    @BeforeEach
    void registerAlice() throws ValidationException {
        devnet = Devnet.create(2);
        state = devnet.genesisState();
        validator = devnet.txValidator();
        devnet.advance(60);
        tip = devnet.childOf(devnet.genesis(), devnet.nameTx("alice"), devnet.nameTx("bob"));
        devnet.validateAndApply(tip, devnet.genesis(), state);
    }

    private void assertRule(ChainTransaction tx, Rule rule) {
        assertThatThrownBy(() -> validator.validate(tx, state, devnet.now()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).as(e.getMessage()).isEqualTo(rule));
    }

    private void assertValid(ChainTransaction tx) throws ValidationException {
        validator.validate(tx, state, devnet.now());
    }

    @Test
    void validTransactionsOfEveryKindPass() throws ValidationException {
        assertValid(devnet.dataTx("alice"));
        assertValid(devnet.tx("bob", TransType.PROJECTION));
        assertValid(devnet.tx("ALICE", TransType.TRANSFER)); // names are looked up case-folded
        assertValid(devnet.tx("anyone", TransType.STAMPED));  // signed by the oracle
        assertValid(devnet.nameTx("carol"));
        assertValid(devnet.txBuilder("alice", TransType.DATA).version(1).build()); // v1: no nonce
    }

    @Test
    void structure() {
        ChainTransaction noTrans = ChainTransaction.of(SignedTransaction.newBuilder().setFantasyName("alice").build());
        assertRule(noTrans, Rule.MISSING_FIELD);
        assertRule(devnet.txBuilder("alice", TransType.DATA).id("0".repeat(64)).build(), Rule.BAD_TX_ID);
        ChainTransaction valid = devnet.dataTx("alice");
        assertRule(devnet.txBuilder("alice", TransType.DATA).id(valid.id().toHex().toUpperCase()).build(), Rule.BAD_TX_ID);
        assertRule(devnet.txBuilder("alice", TransType.DATA).version(0).build(), Rule.BAD_TX_VERSION);
        assertRule(devnet.txBuilder("alice", TransType.DATA).version(5).build(), Rule.BAD_TX_VERSION);
        assertRule(devnet.txBuilder("alice", TransType.DATA).trans(t -> t.clearType()).build(), Rule.MISSING_FIELD);
        assertRule(devnet.txBuilder("alice", TransType.DATA).fantasyName("").build(), Rule.EMPTY_FANTASY_NAME);
    }

    @Test
    void nonceWindow() throws ValidationException {
        long now = devnet.now();
        assertRule(devnet.txBuilder("alice", TransType.DATA).nonce((now - 48 * HOUR) * NS - 1).build(), Rule.NONCE_TOO_OLD);
        assertRule(devnet.txBuilder("alice", TransType.DATA).nonce((now + HOUR) * NS + 1).build(), Rule.NONCE_TOO_NEW);
        assertRule(devnet.txBuilder("alice", TransType.DATA).nonce(-1).build(), Rule.NONCE_TOO_NEW); // 2^64 − 1 ns
        assertRule(devnet.txBuilder("alice", TransType.DATA).nonce(0).build(), Rule.NONCE_TOO_OLD);
        assertValid(devnet.txBuilder("alice", TransType.DATA).nonce((now - 48 * HOUR) * NS).build());
        assertValid(devnet.txBuilder("alice", TransType.DATA).nonce((now + HOUR) * NS).build());
        // NAME and versions below 4 carry no nonce rule
        assertValid(devnet.nameTxBuilder("dave").nonce(0).build());
        assertValid(devnet.txBuilder("alice", TransType.DATA).version(3).nonce(0).build());
    }

    @Test
    void replayWithinTheWindowIsRejected() throws ValidationException {
        ChainTransaction tx = devnet.dataTx("alice");
        ChainBlock b2 = devnet.childOf(tip, tx);
        devnet.validateAndApply(b2, tip, state);
        devnet.advance(HOUR);
        assertRule(tx, Rule.REPLAYED);
        ChainBlock b3 = devnet.childOf(b2, tx);
        assertThatThrownBy(() -> devnet.validateAndApply(b3, b2, state))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.rule()).isEqualTo(Rule.REPLAYED);
                    assertThat(e.detail()).startsWith("tx #0 " + tx.id());
                });
        devnet.advance(48 * HOUR); // past the nonce window: the nonce rule rejects it first
        assertRule(tx, Rule.NONCE_TOO_OLD);
    }

    @Test
    void nameRegistration() throws ValidationException {
        assertRule(devnet.txBuilder("alice", TransType.NAME).fantasyName("erin").build(), Rule.MISSING_PAYLOAD);
        assertRule(devnet.nameTxBuilder("Erin").fantasyName("erin").build(), Rule.NAME_MISMATCH);
        assertRule(devnet.nameTxBuilder("erin").trans(t -> t.setExtension(FantasybitProto.nameTran,
                t.getExtension(FantasybitProto.nameTran).toBuilder().setPublicKey(ByteString.copyFromUtf8("zzz")).build())).build(),
                Rule.BAD_PUBLIC_KEY);
        assertRule(devnet.nameTxBuilder("ALICE").build(), Rule.NAME_TAKEN);
        assertRule(devnet.nameTxBuilder("fantasyagent2").build(), Rule.NAME_TAKEN);
        assertRule(devnet.nameTxBuilder("erin", devnet.key("alice")).build(), Rule.KEY_TAKEN);
        assertRule(devnet.nameTxBuilder("erin").signer(devnet.newKey()).build(), Rule.BAD_TX_SIGNATURE);
        assertRule(devnet.nameTxBuilder("erin").signer(devnet.producer(1)).build(), Rule.BAD_TX_SIGNATURE); // a producer, not the oracle
        assertValid(devnet.nameTxBuilder("erin").signer(devnet.producer(0)).build()); // the oracle may register any name
    }

    @Test
    void signatures() {
        assertRule(devnet.txBuilder("alice", TransType.DATA).fantasyName("nobody").build(), Rule.UNKNOWN_NAME);
        assertRule(devnet.txBuilder("alice", TransType.DATA).signer(devnet.key("bob")).build(), Rule.BAD_TX_SIGNATURE);
        assertRule(devnet.txBuilder("alice", TransType.STAMPED).signer(devnet.key("alice")).build(), Rule.NOT_ORACLE);
        assertRule(devnet.txBuilder("alice", TransType.DATA).signature("0OIl").build(), Rule.BAD_SIGNATURE_ENCODING);
        assertRule(devnet.txBuilder("alice", TransType.DATA).signature("").build(), Rule.BAD_SIGNATURE_ENCODING);
        ChainTransaction valid = devnet.dataTx("alice");
        String high = BlockValidatorTest.highS(valid.proto().getSig().toStringUtf8());
        assertRule(ChainTransaction.of(valid.proto().toBuilder().setSig(ByteString.copyFromUtf8(high)).build()), Rule.HIGH_S_SIGNATURE);
    }

    @Test
    void producersDataIsTrustedOnlyAsTheFirstTransactionOfADataBlock() throws ValidationException {
        ChainTransaction producerData = devnet.txBuilder("FantasyAgent", TransType.DATA).fantasyName("Unregistered Oracle")
                .signer(devnet.producer(1)).build();
        ChainBlock dataBlock = devnet.block(tip).producer(1).dataBlock().tx(producerData).tx(devnet.dataTx("alice")).build();
        devnet.blockValidator().validate(dataBlock, tip);
        validator.validateBlock(dataBlock, state);
        // in a NORMAL block the same transaction needs a registered name
        ChainBlock normal = devnet.block(tip).producer(1).tx(producerData).build();
        assertThatThrownBy(() -> validator.validateBlock(normal, state))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.UNKNOWN_NAME));
        // second position is not trusted
        ChainBlock second = devnet.block(tip).producer(1).dataBlock().tx(devnet.tx("alice", TransType.PROJECTION)).tx(producerData).build();
        assertThatThrownBy(() -> validator.validateBlock(second, state))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.rule()).isEqualTo(Rule.UNKNOWN_NAME);
                    assertThat(e.detail()).startsWith("tx #1 ");
                });
        // signed by someone other than the block's producer
        ChainBlock otherSigner = devnet.block(tip).producer(0).dataBlock().tx(producerData).build();
        assertThatThrownBy(() -> validator.validateBlock(otherSigner, state))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.BAD_TX_SIGNATURE));
        // still subject to the id rule
        ChainTransaction badId = devnet.txBuilder("FantasyAgent", TransType.DATA).signer(devnet.producer(1)).id("0".repeat(64)).build();
        ChainBlock withBadId = devnet.block(tip).producer(1).dataBlock().tx(badId).build();
        assertThatThrownBy(() -> validator.validateBlock(withBadId, state))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.BAD_TX_ID));
    }

    @Test
    void laterTransactionsOfABlockSeeTheEarlierOnesEffects() throws ValidationException {
        ChainTransaction frank = devnet.nameTx("frank");
        ChainBlock block = devnet.childOf(tip, frank, devnet.dataTx("frank"));
        List<NameEntry> names = validator.validateBlock(block, state);
        assertThat(names).singleElement().satisfies(n -> {
            assertThat(n.name()).isEqualTo("frank");
            assertThat(n.publicKey()).isEqualTo(devnet.key("frank").publicKey().toBase58());
            assertThat(n.registeredBy()).isEqualTo(frank.id());
            assertThat(n.num()).isEqualTo(block.num());
        });
        assertThat(TransactionValidator.registration(frank, 7)).map(NameEntry::num).contains(7);
        assertThat(TransactionValidator.registration(devnet.dataTx("alice"), 7)).isEmpty();

        ChainBlock twice = devnet.childOf(tip, devnet.nameTx("gina"), devnet.nameTx("Gina"));
        assertThatThrownBy(() -> validator.validateBlock(twice, state))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.rule()).isEqualTo(Rule.NAME_TAKEN);
                    assertThat(e.detail()).startsWith("tx #1 ");
                });
        KeyPair shared = devnet.newKey();
        ChainBlock sameKey = devnet.childOf(tip, devnet.nameTxBuilder("h1", shared).build(), devnet.nameTxBuilder("h2", shared).build());
        assertThatThrownBy(() -> validator.validateBlock(sameKey, state))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.KEY_TAKEN));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void randomValidChainsPass(long seed) throws ValidationException {
        Random random = new Random(seed);
        List<String> names = new ArrayList<>(List.of("alice", "bob", "FantasyAgent", "FantasyAgent2"));
        ChainBlock parent = tip;
        TransType[] others = {TransType.PROJECTION, TransType.RESULT, TransType.DATA, TransType.PROJECTION_BLOCK,
                TransType.MASTER_NAME, TransType.TIME, TransType.EXCHANGE, TransType.EXCHANGE_BLOCK, TransType.TRANSFER};
        for (int b = 0; b < 25; b++) {
            devnet.advance(random.nextInt(3) == 0 ? random.nextInt(4 * 3600) : random.nextInt(5));
            List<ChainTransaction> txs = new ArrayList<>();
            int count = random.nextInt(6);
            for (int i = 0; i < count; i++) {
                switch (random.nextInt(4)) {
                    case 0 -> {
                        String name = "user" + seed + "_" + b + "_" + i;
                        txs.add(devnet.nameTx(name));
                        names.add(name);
                    }
                    case 1 -> txs.add(devnet.tx("x", TransType.STAMPED));
                    default -> txs.add(devnet.tx(names.get(random.nextInt(names.size())), others[random.nextInt(others.length)]));
                }
            }
            ChainBlock block = devnet.childOf(parent, random.nextInt(2), txs);
            devnet.validateAndApply(block, parent, state);
            parent = block;
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void randomSingleByteCorruptionOfAValidTransactionNeverPasses(long seed) {
        // Over the Transaction body, id and signature: any change is caught (BAD_TX_ID when the id no
        // longer matches the body, or a signature/encoding rule).
        Random random = new Random(seed);
        for (int i = 0; i < 200; i++) {
            ChainTransaction valid = random.nextBoolean() ? devnet.dataTx("alice") : devnet.nameTx("n" + seed + "_" + i);
            SignedTransaction.Builder proto = valid.proto().toBuilder();
            switch (random.nextInt(3)) {
                case 0 -> proto.setId(flip(random, proto.getId()));
                case 1 -> proto.setSig(flip(random, proto.getSig()));
                default -> {
                    byte[] body = proto.getTrans().toByteArray();
                    body[random.nextInt(body.length)] ^= (byte) (1 << random.nextInt(8));
                    try {
                        proto.setTrans(org.protoblock.chain.proto.Transaction.parseFrom(body,
                                org.protoblock.chain.codec.ChainCodec.EXTENSIONS));
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        continue; // caught by the codec
                    }
                }
            }
            ChainTransaction corrupted = ChainTransaction.of(proto.build());
            if (corrupted.proto().equals(valid.proto())) {
                continue; // e.g. a flip protobuf reads back as the same message
            }
            assertThatThrownBy(() -> validator.validate(corrupted, state, devnet.now())).isInstanceOf(ValidationException.class);
        }
    }

    private static ByteString flip(Random random, ByteString text) {
        byte[] b = text.toByteArray();
        b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(7));
        return ByteString.copyFrom(b);
    }

    @Test
    void nameTransOnAnotherTypeIsNotARegistration() throws ValidationException {
        ChainTransaction tx = devnet.txBuilder("alice", TransType.DATA).trans(t -> t.setExtension(FantasybitProto.nameTran,
                NameTrans.newBuilder().setFantasyName("zed").build())).build();
        assertValid(tx);
        assertThat(TransactionValidator.registration(tx, 1)).isEmpty();
    }
}
