package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.p2p.wire.proto.NewBlock;

/** Rebuilding a block from its short ids and the transactions we hold (the property tests: {@link CompactBlockCodecTest}). */
class BlockRebuildTest {
    private static final long NONCE = 0x1234_5678_9abc_def0L;
    private final Devnet devnet = Devnet.create(1);
    private final ChainLimits limits = devnet.params().limits();
    private final ChainCodec codec = new ChainCodec(limits);
    private final List<ChainTransaction> txs = List.of(devnet.nameTx("ann"), devnet.nameTx("bob"), devnet.nameTx("cid"),
            devnet.dataTx(devnet.producerName(0)), devnet.nameTx("dan"));
    private final ChainBlock block = devnet.childOf(devnet.genesis(), 0, txs);

    private CompactBlock roundTrip(ChainBlock b) throws ValidationException {
        return CompactBlock.parse(CompactBlock.of(b, NONCE).toMessage(), codec, limits);
    }

    @Test
    void rebuildsFromAFullMempoolToTheSameBlock() throws Exception {
        CompactBlock compact = roundTrip(block);
        assertThat(compact.id()).isEqualTo(block.id());
        assertThat(compact.parentId()).isEqualTo(block.parentId());
        assertThat(compact.num()).isEqualTo(1);
        assertThat(compact).isEqualTo(CompactBlock.of(block, NONCE));
        BlockRebuild rebuild = BlockRebuild.start(compact, txs);
        assertThat(rebuild.missingIndexes()).isEmpty();
        ChainBlock rebuilt = rebuild.build().orElseThrow();
        assertThat(rebuilt.id()).isEqualTo(block.id());
        assertThat(rebuilt.proto()).isEqualTo(block.proto());
    }

    @Test
    void fetchesOnlyTheMissingByPosition() throws Exception {
        BlockRebuild rebuild = BlockRebuild.start(roundTrip(block), List.of(txs.get(0), txs.get(2), txs.get(4)));
        assertThat(rebuild.missingIndexes()).containsExactly(1, 3);
        assertThat(rebuild.build()).isEmpty();
        assertThat(rebuild.fill(List.of(1, 3), List.of(txs.get(1), txs.get(3)))).isTrue();
        assertThat(rebuild.build().orElseThrow().proto()).isEqualTo(block.proto());
    }

    @Test
    void wrongTransactionsAreRefusedWhole() throws Exception {
        BlockRebuild rebuild = BlockRebuild.start(roundTrip(block), List.of(txs.get(0), txs.get(2), txs.get(4)));
        assertThat(rebuild.fill(List.of(1, 3), List.of(txs.get(3), txs.get(1)))).as("swapped").isFalse();
        assertThat(rebuild.fill(List.of(1), List.of(txs.get(1), txs.get(3)))).as("count").isFalse();
        assertThat(rebuild.fill(List.of(1, 9), List.of(txs.get(1), txs.get(3)))).as("range").isFalse();
        assertThat(rebuild.missingIndexes()).as("nothing filled").containsExactly(1, 3);
    }

    @Test
    void aHeldTransactionOutsideTheBlockIsNotUsed() throws Exception {
        BlockRebuild rebuild = BlockRebuild.start(roundTrip(block), List.of(devnet.nameTx("eve")));
        assertThat(rebuild.missingIndexes()).hasSize(5);
    }

    @Test
    void emptyBlockRebuildsAtOnce() throws Exception {
        ChainBlock empty = devnet.childOf(devnet.genesis());
        BlockRebuild rebuild = BlockRebuild.start(roundTrip(empty), List.of());
        assertThat(rebuild.build().orElseThrow().id()).isEqualTo(empty.id());
    }

    /**
     * Short ids bind nothing at parse time: announced ids naming other transactions than the
     * block's decode, rebuild to a block whose root misses the header's (fetched whole), and convict
     * the announcer once the block is known ({@link CompactBlock#describes}).
     */
    @Test
    void shortIdsOfOtherTransactionsFailTheRootAndAreConvictedByTheBlock() throws Exception {
        ChainTransaction other = devnet.nameTx("eve");
        long[] ids = CompactBlock.of(block, NONCE).shortIds();
        ids[0] = CompactBlock.of(block, NONCE).keys().of(other.id());
        NewBlock lying = CompactBlock.of(block, NONCE).toMessage().toBuilder().setShortIds(ShortTxIds.pack(ids, ids.length, ShortTxIds.BLOCK_BYTES)).build();
        CompactBlock compact = CompactBlock.parse(lying, codec, limits);
        BlockRebuild rebuild = BlockRebuild.start(compact, List.of(other, txs.get(1), txs.get(2), txs.get(3), txs.get(4)));
        assertThat(rebuild.missingIndexes()).isEmpty();
        assertThat(rebuild.build()).as("root mismatch: fetch whole").isEmpty();
        assertThat(compact.describes(block)).isFalse();
        assertThat(roundTrip(block).describes(block)).isTrue();
        assertThat(roundTrip(block).describes(devnet.childOf(devnet.genesis(), 0, txs.subList(0, 4)))).isFalse();
    }

    @Test
    void malformedAnnouncementsAreRejected() {
        NewBlock honest = CompactBlock.of(block, NONCE).toMessage();
        NewBlock partial = honest.toBuilder().setShortIds(honest.getShortIds().substring(1)).build();
        assertThatThrownBy(() -> CompactBlock.parse(partial, codec, limits))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.MALFORMED_ENCODING));
        NewBlock tooMany = honest.toBuilder()
                .setShortIds(ByteString.copyFrom(new byte[(limits.maxTransactionsPerBlock() + 1) * ShortTxIds.BLOCK_BYTES])).build();
        assertThatThrownBy(() -> CompactBlock.parse(tooMany, codec, limits))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.TOO_MANY_TRANSACTIONS));
        NewBlock garbage = NewBlock.newBuilder().setSignedHeader(ByteString.copyFrom(new byte[] {(byte) 0xff, 1, 2})).build();
        assertThatThrownBy(() -> CompactBlock.parse(garbage, codec, limits)).isInstanceOf(ValidationException.class);
        assertThat(CompactBlock.announcedId(garbage)).isEmpty();
    }

    @Test
    void theAnnouncedIdIsTheBlockIdFromTheHeaderBytesAlone() throws Exception {
        NewBlock honest = CompactBlock.of(block, NONCE).toMessage();
        assertThat(CompactBlock.announcedId(honest)).hasValue(block.id());
        // The signature is not part of the id: a forged signature still names the block (its parse checks the rest).
        NewBlock resigned = honest.toBuilder().setSignedHeader(block.proto().getSignedhead().toBuilder().setSig("x").build()
                .toByteString()).build();
        assertThat(CompactBlock.announcedId(resigned)).hasValue(block.id());
        assertThat(CompactBlock.announcedId(NewBlock.getDefaultInstance())).isEmpty();
    }
}
