package org.protoblock.chain.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.crypto.Base58;
import org.protoblock.chain.network.DevnetGenesis;
import org.protoblock.chain.network.NetworkParams;
import org.protoblock.chain.proto.Block;
import org.protoblock.chain.proto.BlockHeader;
import org.protoblock.chain.proto.SignedBlockHeader;
import org.protoblock.chain.testing.BlockBuilder;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.ValidationException;

/** One test per block rule: a block breaking exactly that rule fails with exactly it. */
class BlockValidatorTest {
    private final Devnet devnet = Devnet.create(2);
    private final ChainBlock genesis = devnet.genesis();
    private final ChainBlock parent = devnet.advance(10).childOf(genesis);

    private BlockBuilder child() {
        return devnet.block(parent);
    }

    private void assertRule(ChainBlock block, Rule rule) {
        assertRule(devnet, block, parent, rule);
    }

    private static void assertRule(Devnet devnet, ChainBlock block, ChainBlock parent, Rule rule) {
        assertThatThrownBy(() -> devnet.blockValidator().validate(block, parent))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(rule));
    }

    @Test
    void aValidChildPasses() throws ValidationException {
        ChainBlock block = child().producer(1).tx(devnet.dataTx("FantasyAgent")).build();
        devnet.blockValidator().validate(block, parent);
        devnet.blockValidator().validate(block, parent.asHead(), parent.timestamp());
        devnet.blockValidator().validateHeader(block.proto().getSignedhead(), parent.asHead(), parent.timestamp());
    }

    @Test
    void sizeLimits() {
        ChainLimits tight = new ChainLimits(2000, 2, 600, 120, 48 * 3600, 3600, 50 * 3600);
        Devnet small = Devnet.create("tight", 1, 5, tight);
        ChainBlock g = small.genesis();
        assertRule(small, small.block(g).txs(small.dataTxs("FantasyAgent", 3)).build(), g, Rule.TOO_MANY_TRANSACTIONS);
        ChainBlock bigTx = small.block(g).tx(small.txBuilder("FantasyAgent", org.protoblock.chain.proto.TransType.DATA)
                .trans(t -> t.setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder()
                        .addField(700, com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                                .addLengthDelimited(ByteString.copyFrom(new byte[700])).build()).build()))
                .build()).build();
        assertRule(small, bigTx, g, Rule.OVERSIZED);
        ChainLimits tinyBlock = new ChainLimits(700, 100, 600, 120, 48 * 3600, 3600, 50 * 3600);
        Devnet tiny = Devnet.create("tiny", 1, 5, tinyBlock);
        assertRule(tiny, tiny.block(tiny.genesis()).txs(tiny.dataTxs("FantasyAgent", 3)).build(), tiny.genesis(), Rule.OVERSIZED);
    }

    @Test
    void missingHeaderOrSignature() {
        ChainBlock valid = child().build();
        Block noHead = valid.proto().toBuilder().setSignedhead(SignedBlockHeader.newBuilder().setSig("x")).build();
        assertRule(ChainBlock.of(noHead), Rule.MISSING_FIELD);
        Block noSig = valid.proto().toBuilder().setSignedhead(valid.proto().getSignedhead().toBuilder().clearSig()).build();
        assertRule(ChainBlock.of(noSig), Rule.MISSING_FIELD);
    }

    @Test
    void headerVersion() {
        assertRule(child().header(h -> h.setVersion(0)).build(), Rule.BAD_HEADER_VERSION);
        assertRule(child().header(h -> h.setVersion(BlockValidator.MAX_HEADER_VERSION + 1)).build(), Rule.BAD_HEADER_VERSION);
    }

    @Test
    void linkage() {
        assertRule(child().header(h -> h.setNum(parent.num() + 2)).build(), Rule.BAD_HEIGHT);
        assertRule(child().header(h -> h.setNum(parent.num())).build(), Rule.BAD_HEIGHT);
        assertRule(child().header(h -> h.setPrevId(ByteString.copyFromUtf8(parent.id().toHex().toUpperCase()))).build(), Rule.BAD_PREV_ID);
        assertRule(child().header(h -> h.setPrevId(ByteString.copyFromUtf8("short"))).build(), Rule.BAD_PREV_ID);
        assertRule(child().header(h -> h.setPrevId(ByteString.copyFromUtf8(genesis.id().toHex()))).build(), Rule.UNKNOWN_PARENT);
    }

    @Test
    void time() {
        assertRule(child().timestamp(parent.timestamp() - 1).build(), Rule.TIMESTAMP_BEFORE_PARENT);
        long latest = devnet.now() + ChainLimits.DEFAULT.maxFutureDriftSeconds();
        assertRule(child().timestamp(latest + 1).build(), Rule.TIMESTAMP_IN_FUTURE);
        assertThat(passes(child().timestamp(latest).build())).isTrue();
        assertThat(passes(child().timestamp(parent.timestamp()).build())).as("same second as parent").isTrue();
        assertRule(child().header(h -> h.setTimestamp(-5)).build(), Rule.TIMESTAMP_IN_FUTURE); // unsigned: year 2106
    }

    @Test
    void producer() {
        assertRule(child().producer(devnet.newKey()).build(), Rule.BAD_GENERATOR);
        assertRule(child().header(h -> h.setGeneratorPk(ByteString.copyFromUtf8("not a key"))).build(), Rule.BAD_GENERATOR);
        assertRule(child().signature(devnet.producer(0).sign(new byte[32])).build(), Rule.BAD_BLOCK_SIGNATURE);
        // signed by producer 1 while naming producer 0 as generator
        ChainBlock byOne = child().producer(1).build();
        ChainBlock named0 = child().build();
        Block swapped = named0.proto().toBuilder()
                .setSignedhead(named0.proto().getSignedhead().toBuilder().setSig(devnet.producer(1).sign(named0.id().toBytes())))
                .build();
        assertThat(passes(byOne)).isTrue();
        assertRule(ChainBlock.of(swapped), Rule.BAD_BLOCK_SIGNATURE);
        assertRule(child().signature("0OIl").build(), Rule.BAD_SIGNATURE_ENCODING);
        assertRule(child().signature("").build(), Rule.BAD_SIGNATURE_ENCODING);
        ChainBlock valid = child().build();
        assertRule(child().signature(highS(valid.proto().getSignedhead().getSig())).build(), Rule.HIGH_S_SIGNATURE);
    }

    @Test
    void body() {
        var tx = devnet.dataTx("FantasyAgent");
        assertRule(child().tx(tx).header(h -> h.setTransactionId(ByteString.copyFromUtf8(tx.id().toHex().replace('a', 'b')))).build(),
                Rule.BAD_TRANSACTION_ROOT);
        assertRule(child().tx(tx).header(h -> h.clearTransactionId()).build(), Rule.BAD_TRANSACTION_ROOT);
        assertRule(child().txs(List.of(tx, devnet.dataTx("FantasyAgent"), tx)).build(), Rule.DUPLICATE_TRANSACTION_IN_BLOCK);
        // transactions altered after sealing: the root no longer matches
        ChainBlock sealed = child().tx(tx).build();
        Block altered = sealed.proto().toBuilder().setSignedTransactions(0, devnet.dataTx("FantasyAgent").proto()).build();
        assertRule(ChainBlock.of(altered), Rule.BAD_TRANSACTION_ROOT);
        // empty block: root is the empty string
        assertThat(child().build().header().getTransactionId().isEmpty()).isTrue();
    }

    @Test
    void genesisIdentity() throws ValidationException {
        BlockValidator validator = devnet.blockValidator();
        validator.validateGenesis(genesis);
        NetworkParams otherName = DevnetGenesis.create("other", devnet.producers(), Devnet.GENESIS_TIME);
        assertThatThrownBy(() -> validator.validateGenesis(otherName.genesis()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.BAD_GENESIS));
        assertThatThrownBy(() -> validator.validateGenesis(parent))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.BAD_HEIGHT));
        // block 0 is never a child
        assertRule(genesis, Rule.BAD_HEIGHT);
        assertThatThrownBy(() -> validator.validate(genesis, new ChainHead(genesis.id(), 0), 0))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.BAD_HEIGHT));
    }

    private boolean passes(ChainBlock block) {
        try {
            devnet.blockValidator().validate(block, parent);
            return true;
        } catch (ValidationException e) {
            return false;
        }
    }

    /** The same signature with s replaced by n − s (still valid ECDSA, but high). */
    static String highS(String sig) {
        BigInteger n = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
        byte[] le = Base58.decode(sig);
        byte[] sBe = new byte[32];
        for (int i = 0; i < 32; i++) {
            sBe[i] = le[63 - i];
        }
        byte[] high = n.subtract(new BigInteger(1, sBe)).toByteArray();
        byte[] high32 = new byte[32];
        System.arraycopy(high, Math.max(0, high.length - 32), high32, 32 - Math.min(32, high.length), Math.min(32, high.length));
        for (int i = 0; i < 32; i++) {
            le[32 + i] = high32[31 - i];
        }
        return Base58.encode(le);
    }

    @Test
    void headerTypeDefaultsAreTolerated() throws ValidationException {
        ChainBlock block = child().header(BlockHeader.Builder::clearBlocktype).build();
        devnet.blockValidator().validate(block, parent);
    }
}
