package org.protoblock.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.TxId;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.p2p.wire.proto.NewBlock;

class BlockRebuildTest {
    private final Devnet devnet = Devnet.create(1);
    private final ChainLimits limits = devnet.params().limits();
    private final ChainCodec codec = new ChainCodec(limits);
    private final List<ChainTransaction> txs = List.of(devnet.nameTx("ann"), devnet.nameTx("bob"), devnet.nameTx("cid"),
            devnet.dataTx(devnet.producerName(0)), devnet.nameTx("dan"));
    private final ChainBlock block = devnet.childOf(devnet.genesis(), 0, txs);

    private CompactBlock roundTrip(ChainBlock b) throws ValidationException {
        return CompactBlock.parse(CompactBlock.of(b).toMessage(), codec, limits);
    }

    private static Function<TxId, Optional<ChainTransaction>> pool(List<ChainTransaction> txs) {
        Map<TxId, ChainTransaction> byId = txs.stream().collect(Collectors.toMap(ChainTransaction::id, t -> t));
        return id -> Optional.ofNullable(byId.get(id));
    }

    @Test
    void rebuildsFromAFullMempoolToTheSameBlock() throws Exception {
        CompactBlock compact = roundTrip(block);
        assertThat(compact.id()).isEqualTo(block.id());
        assertThat(compact.parentId()).isEqualTo(block.parentId());
        assertThat(compact.num()).isEqualTo(1);
        BlockRebuild rebuild = BlockRebuild.start(compact, pool(txs));
        assertThat(rebuild.missingIndexes()).isEmpty();
        ChainBlock rebuilt = rebuild.build().orElseThrow();
        assertThat(rebuilt.id()).isEqualTo(block.id());
        assertThat(rebuilt.proto()).isEqualTo(block.proto());
    }

    @Test
    void fetchesOnlyTheMissingByPosition() throws Exception {
        BlockRebuild rebuild = BlockRebuild.start(roundTrip(block), pool(List.of(txs.get(0), txs.get(2), txs.get(4))));
        assertThat(rebuild.missingIndexes()).containsExactly(1, 3);
        assertThat(rebuild.build()).isEmpty();
        assertThat(rebuild.fill(List.of(1, 3), List.of(txs.get(1), txs.get(3)))).isTrue();
        assertThat(rebuild.build().orElseThrow().proto()).isEqualTo(block.proto());
    }

    @Test
    void wrongTransactionsAreRefusedWhole() throws Exception {
        BlockRebuild rebuild = BlockRebuild.start(roundTrip(block), pool(List.of(txs.get(0), txs.get(2), txs.get(4))));
        assertThat(rebuild.fill(List.of(1, 3), List.of(txs.get(3), txs.get(1)))).as("swapped").isFalse();
        assertThat(rebuild.fill(List.of(1), List.of(txs.get(1), txs.get(3)))).as("count").isFalse();
        assertThat(rebuild.fill(List.of(1, 9), List.of(txs.get(1), txs.get(3)))).as("range").isFalse();
        assertThat(rebuild.missingIndexes()).as("nothing filled").containsExactly(1, 3);
    }

    @Test
    void aLookupReturningAnotherTransactionIsNotUsed() throws Exception {
        ChainTransaction other = devnet.nameTx("eve");
        BlockRebuild rebuild = BlockRebuild.start(roundTrip(block), id -> Optional.of(other));
        assertThat(rebuild.missingIndexes()).hasSize(5);
    }

    @Test
    void emptyBlockRebuildsAtOnce() throws Exception {
        ChainBlock empty = devnet.childOf(devnet.genesis());
        BlockRebuild rebuild = BlockRebuild.start(roundTrip(empty), id -> Optional.empty());
        assertThat(rebuild.build().orElseThrow().id()).isEqualTo(empty.id());
    }

    @Test
    void announcementWhoseIdsDoNotMatchTheRootIsRejected() {
        NewBlock wrong = CompactBlock.of(block).toMessage().toBuilder().setTxIds(0, ByteString.copyFrom(txs.get(1).id().toBytes())).build();
        assertThatThrownBy(() -> CompactBlock.parse(wrong, codec, limits))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.BAD_TRANSACTION_ROOT));
        NewBlock dropped = NewBlock.newBuilder(CompactBlock.of(block).toMessage()).clearTxIds()
                .addAllTxIds(WireIds.toWire(block.txIds().subList(0, 4))).build();
        assertThatThrownBy(() -> CompactBlock.parse(dropped, codec, limits))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.BAD_TRANSACTION_ROOT));
    }

    @Test
    void malformedAnnouncementsAreRejected() {
        NewBlock shortId = CompactBlock.of(block).toMessage().toBuilder().setTxIds(0, ByteString.copyFrom(new byte[31])).build();
        assertThatThrownBy(() -> CompactBlock.parse(shortId, codec, limits))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.rule()).isEqualTo(Rule.MALFORMED_ENCODING));
        NewBlock garbage = NewBlock.newBuilder().setSignedHeader(ByteString.copyFrom(new byte[] {(byte) 0xff, 1, 2})).build();
        assertThatThrownBy(() -> CompactBlock.parse(garbage, codec, limits)).isInstanceOf(ValidationException.class);
    }
}
