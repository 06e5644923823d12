package org.protoblock.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.p2p.gossip.CompactBlock;
import org.protoblock.p2p.wire.proto.Envelope;

/**
 * What a block announcement ({@code NewBlock}) costs its receiver, per announcement, for a block
 * of {@code transactions} transactions: {@code duplicate} is the path of one already held (envelope
 * decode, then the block id hashed from the header bytes, no decoding: what BlockGossip does before
 * it stops), {@code fresh} the path of a new one (envelope decode and the full parse: header
 * decode, canonical re-encode, short ids). A node hears each block from up to every peer, so the
 * duplicate path runs degree − 1 times per block.
 * {@code java -jar protoblock-bench/target/benchmarks.jar CompactBlockBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class CompactBlockBenchmark {
    @Param({"50"})
    int transactions;

    byte[] envelope;
    ChainCodec codec;
    Devnet devnet;

    @Setup(Level.Trial)
    public void announce() {
        devnet = Devnet.create(1);
        List<ChainTransaction> txs = new ArrayList<>();
        for (int i = 0; i < transactions; i++) {
            txs.add(devnet.nameTx("bench" + i));
        }
        ChainBlock block = devnet.childOf(devnet.genesis(), 0, txs);
        codec = new ChainCodec(devnet.params().limits());
        envelope = Envelope.newBuilder().setNewBlock(CompactBlock.of(block, 42L).toMessage()).build().toByteArray();
    }

    @Benchmark
    public Optional<BlockId> duplicate() throws InvalidProtocolBufferException {
        return CompactBlock.announcedId(Envelope.parseFrom(envelope).getNewBlock());
    }

    @Benchmark
    public CompactBlock fresh() throws InvalidProtocolBufferException, ValidationException {
        return CompactBlock.parse(Envelope.parseFrom(envelope).getNewBlock(), codec, devnet.params().limits());
    }
}
