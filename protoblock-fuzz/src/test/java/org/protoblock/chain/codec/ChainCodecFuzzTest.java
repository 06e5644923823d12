package org.protoblock.chain.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.protoblock.chain.proto.SignedBlockHeader;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.chain.validation.BlockValidator;
import org.protoblock.chain.validation.TransactionValidator;
import org.protoblock.fuzz.AllocationBudget;
import org.protoblock.fuzz.Fixtures;

/**
 * Blocks, transactions and headers from untrusted bytes ({@link ChainCodec}), then the stateless
 * rules a node applies to what decodes. Properties: only {@link ValidationException} escapes;
 * allocation stays linear in the input; whatever decodes is canonical (re-encodes to the input
 * bytes) and decodes again to an equal value. Seeds: mainnet's genesis and two devnet blocks (and
 * their transactions and headers); decoded blocks are validated as children of the devnet genesis,
 * so the seeds reach the producer signature check.
 */
class ChainCodecFuzzTest {
    private static final ChainCodec CODEC = Fixtures.codec();
    private static final Devnet DEVNET = Fixtures.devnet();
    private static final BlockValidator BLOCKS = DEVNET.blockValidator();

    @FuzzTest(maxDuration = "10s")
    void block(byte[] input) throws Exception {
        AllocationBudget.check(input.length, 64, () -> {
            ChainBlock block;
            try {
                block = CODEC.parseBlock(input);
            } catch (ValidationException e) {
                return;
            }
            assertThat(block.proto().toByteArray()).isEqualTo(input);
            assertThat(CODEC.parseBlock(block.proto().toByteArray())).isEqualTo(block);
            for (ChainTransaction tx : block.transactions()) {
                assertThat(CODEC.parseTransaction(tx.proto().toByteArray())).isEqualTo(tx);
            }
            try {
                if (block.num() == 0) {
                    BLOCKS.validateGenesis(block);
                } else {
                    BLOCKS.validate(block, DEVNET.genesis());
                }
            } catch (ValidationException expected) {
                // a rule broken: the decoder's and validator's declared rejection
            }
        });
    }

    @FuzzTest(maxDuration = "10s")
    void transaction(byte[] input) throws Exception {
        AllocationBudget.check(input.length, 64, () -> {
            ChainTransaction tx;
            try {
                tx = CODEC.parseTransaction(input);
            } catch (ValidationException e) {
                return;
            }
            assertThat(tx.proto().toByteArray()).isEqualTo(input);
            assertThat(tx.serializedSize()).isEqualTo(input.length);
            assertThat(CODEC.parseTransaction(tx.proto().toByteArray())).isEqualTo(tx);
            try {
                TransactionValidator.checkStateless(tx);
                TransactionValidator.registration(tx, 1);
            } catch (ValidationException expected) {
                // declared rejection
            }
        });
    }

    @FuzzTest(maxDuration = "10s")
    void header(byte[] input) throws Exception {
        AllocationBudget.check(input.length, 64, () -> {
            SignedBlockHeader header;
            try {
                header = CODEC.parseHeader(input);
            } catch (ValidationException e) {
                return;
            }
            assertThat(header.toByteArray()).isEqualTo(input);
            assertThat(CODEC.parseHeader(header.toByteArray())).isEqualTo(header);
            try {
                BLOCKS.validateHeader(header, DEVNET.genesis().asHead(), DEVNET.genesis().timestamp());
            } catch (ValidationException expected) {
                // declared rejection
            }
        });
    }
}
