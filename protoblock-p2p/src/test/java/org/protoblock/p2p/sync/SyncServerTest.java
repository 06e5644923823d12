package org.protoblock.p2p.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.proto.SignedBlockHeader;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.service.ChainConfig;
import org.protoblock.chain.store.ChainStore;
import org.protoblock.chain.store.Column;
import org.protoblock.chain.store.InMemoryChainStore;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.p2p.chain.ChainAdapter;
import org.protoblock.p2p.metrics.P2pMetrics;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;
import org.protoblock.p2p.wire.proto.GetBlocks;
import org.protoblock.p2p.wire.proto.GetHeaders;

/** What the server answers, and its bounds. */
class SyncServerTest {
    private final Devnet devnet = Devnet.create(1);
    private final List<ChainBlock> blocks = SyncFixtures.chain(devnet, devnet.genesis(), 2100, 0);
    private final Chain chain;
    private SyncServer server;

    SyncServerTest() throws Exception {
        chain = Chain.open(ChainConfig.defaults(devnet.params()).withClock(devnet.clock()), new InMemoryChainStore());
        SyncFixtures.load(chain, blocks);
        server = new SyncServer(new ChainAdapter(chain), SyncConfig::defaults, new P2pMetrics());
    }

    @AfterEach
    void close() {
        server.close();
        chain.close();
    }

    private static ByteString bytes(BlockId id) {
        return ByteString.copyFrom(id.toBytes());
    }

    private Envelope headers(GetHeaders.Builder get) {
        return server.answer(Envelope.newBuilder().setGetHeaders(get).build());
    }

    private Envelope blocks(GetBlocks.Builder get) {
        return server.answer(Envelope.newBuilder().setGetBlocks(get).build());
    }

    private static List<Integer> nums(Envelope headers) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (ByteString h : headers.getHeaders().getHeadersList()) {
            out.add(SignedBlockHeader.parseFrom(h).getHead().getNum());
        }
        return out;
    }

    @Test
    void headersStartAfterTheForkPointAndStopAtTwoThousand() throws Exception {
        Envelope fromGenesis = headers(GetHeaders.newBuilder().addLocator(bytes(devnet.genesis().id())));
        assertThat(nums(fromGenesis)).hasSize(SyncConfig.MAX_HEADERS).startsWith(1, 2).endsWith(2000);
        // an unknown id first, then one of ours: the known one is the fork point
        Envelope fromFork = headers(GetHeaders.newBuilder().addLocator(bytes(BlockId.wrap(new byte[32])))
                .addLocator(bytes(blocks.get(2049).id())).setMaxCount(10_000));
        assertThat(nums(fromFork)).containsExactlyElementsOf(IntStream.rangeClosed(2051, 2100).boxed().toList());
        Envelope few = headers(GetHeaders.newBuilder().addLocator(bytes(blocks.get(99).id())).setMaxCount(3));
        assertThat(nums(few)).containsExactly(101, 102, 103);
        Envelope stop = headers(GetHeaders.newBuilder().addLocator(bytes(blocks.get(99).id())).setStopId(bytes(blocks.get(101).id())));
        assertThat(nums(stop)).containsExactly(101, 102);
        Envelope atHead = headers(GetHeaders.newBuilder().addLocator(bytes(blocks.get(2099).id())));
        assertThat(atHead.getHeaders().getHeadersCount()).isZero();
        assertThat(fromGenesis.getHeaders().getHeaders(0)).isEqualTo(blocks.get(0).proto().getSignedhead().toByteString());
    }

    @Test
    void headersAreServedWithoutReadingABlockBody() throws Exception {
        AtomicInteger bodyReads = new AtomicInteger();
        InMemoryChainStore memory = new InMemoryChainStore();
        ChainStore counting = (ChainStore) Proxy.newProxyInstance(ChainStore.class.getClassLoader(),
                new Class<?>[] {ChainStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("block") || (method.getName().equals("get") && args[0] == Column.BLOCKS)) {
                        bodyReads.incrementAndGet();
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        List<ChainBlock> few = blocks.subList(0, 300);
        try (Chain counted = Chain.open(ChainConfig.defaults(devnet.params()).withClock(devnet.clock()), counting);
             SyncServer countedServer = new SyncServer(new ChainAdapter(counted), SyncConfig::defaults, new P2pMetrics())) {
            SyncFixtures.load(counted, few);
            bodyReads.set(0);
            Envelope answer = countedServer.answer(Envelope.newBuilder()
                    .setGetHeaders(GetHeaders.newBuilder().addLocator(bytes(devnet.genesis().id()))).build());
            assertThat(nums(answer)).containsExactlyElementsOf(IntStream.rangeClosed(1, 300).boxed().toList());
            assertThat(bodyReads).hasValue(0);
        }
    }

    @Test
    void theServingThreadTakesPeersInTurnSoAFloodCannotStarveAnotherPeer() {
        List<String> served = java.util.Collections.synchronizedList(new ArrayList<>());
        try (SyncServer slow = new SyncServer(new ChainAdapter(chain),
                () -> SyncConfig.defaults().withServeDelay(Duration.ofMillis(300)), new P2pMetrics())) {
            for (int i = 0; i < 30; i++) {
                GetBlocks.Builder get = GetBlocks.newBuilder();
                blocks.subList(i, i + 32).forEach(b -> get.addBlockIds(bytes(b.id())));
                slow.handle("flooder", Envelope.newBuilder().setGetBlocks(get).build(), recorder("flooder", served));
            }
            slow.handle("honest", Envelope.newBuilder().setGetHeaders(GetHeaders.newBuilder()
                    .addLocator(bytes(devnet.genesis().id()))).build(), recorder("honest", served));
            await().atMost(Duration.ofSeconds(20)).until(() -> served.size() == 31);
        }
        assertThat(served.indexOf("honest:HEADERS")).isLessThanOrEqualTo(1);
        assertThat(served).filteredOn(s -> s.equals("flooder:BLOCKS")).hasSize(30);
    }

    private static SyncServer.Requester recorder(String peer, List<String> served) {
        return new SyncServer.Requester() {
            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void respond(Envelope request, Envelope answer) {
                served.add(peer + ":" + answer.getBodyCase());
            }

            @Override
            public void respondError(Envelope request, ErrorResponse.Code code, String message) {
                served.add(peer + ":" + code);
            }
        };
    }

    @Test
    void badHeaderRequestsAreRefused() {
        assertThat(headers(GetHeaders.newBuilder()).getError().getCode()).isEqualTo(ErrorResponse.Code.BAD_REQUEST);
        assertThat(headers(GetHeaders.newBuilder().addLocator(ByteString.copyFrom(new byte[31]))).getError().getCode())
                .isEqualTo(ErrorResponse.Code.BAD_REQUEST);
        GetHeaders.Builder tooLong = GetHeaders.newBuilder();
        IntStream.range(0, SyncConfig.MAX_LOCATOR + 1).forEach(i -> tooLong.addLocator(bytes(devnet.genesis().id())));
        assertThat(headers(tooLong).getError().getCode()).isEqualTo(ErrorResponse.Code.BAD_REQUEST);
        assertThat(headers(GetHeaders.newBuilder().addLocator(bytes(devnet.genesis().id())).setStopId(ByteString.copyFromUtf8("x")))
                .getError().getCode()).isEqualTo(ErrorResponse.Code.BAD_REQUEST);
    }

    @Test
    void blocksAreAPrefixOfTheRequestAndMissingOnesAreNotFound() {
        Envelope two = blocks(GetBlocks.newBuilder().addBlockIds(bytes(blocks.get(5).id())).addBlockIds(bytes(blocks.get(6).id()))
                .addBlockIds(bytes(BlockId.wrap(new byte[32]))).addBlockIds(bytes(blocks.get(7).id())));
        assertThat(two.getBlocks().getBlocksList()).containsExactly(blocks.get(5).proto().toByteString(),
                blocks.get(6).proto().toByteString());
        assertThat(two.getBlocks().getTruncated()).isFalse();
        assertThat(blocks(GetBlocks.newBuilder().addBlockIds(bytes(BlockId.wrap(new byte[32])))).getError().getCode())
                .isEqualTo(ErrorResponse.Code.NOT_FOUND);
    }

    @Test
    void badBlockRequestsAreRefused() {
        assertThat(blocks(GetBlocks.newBuilder()).getError().getCode()).isEqualTo(ErrorResponse.Code.BAD_REQUEST);
        GetBlocks.Builder tooMany = GetBlocks.newBuilder();
        IntStream.range(0, SyncConfig.MAX_BLOCKS_PER_REQUEST + 1).forEach(i -> tooMany.addBlockIds(bytes(blocks.get(i).id())));
        assertThat(blocks(tooMany).getError().getCode()).isEqualTo(ErrorResponse.Code.BAD_REQUEST);
        assertThat(blocks(GetBlocks.newBuilder().addBlockIds(ByteString.copyFrom(new byte[33]))).getError().getCode())
                .isEqualTo(ErrorResponse.Code.BAD_REQUEST);
    }

    @Test
    void aBlocksResponseStaysUnderItsByteBound() throws Exception {
        List<ChainBlock> big = new ArrayList<>();
        ChainBlock tip = blocks.get(blocks.size() - 1);
        for (int b = 0; b < 4; b++) {
            List<ChainTransaction> txs = new ArrayList<>();
            for (int t = 0; t < 150; t++) {
                txs.add(devnet.nameTx("big" + b + "x" + t));
            }
            tip = devnet.childOf(tip, 0, txs);
            big.add(tip);
        }
        SyncFixtures.load(chain, big);
        int bound = 64 * 1024;
        SyncConfig small = new SyncConfig(1024, 64, 1 << 20, 4, java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(2),
                java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(500), 64L << 20, 8192, java.time.Duration.ofSeconds(15),
                java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(100), 3, 128, 4096, java.time.Duration.ZERO, 256, bound);
        server.close();
        server = new SyncServer(new ChainAdapter(chain), () -> small, new P2pMetrics());
        GetBlocks.Builder get = GetBlocks.newBuilder();
        big.forEach(b -> get.addBlockIds(bytes(b.id())));
        Envelope answer = blocks(get);
        assertThat(big.get(0).serializedSize()).isGreaterThan(bound / 4);
        assertThat(answer.getBlocks().getTruncated()).isTrue();
        assertThat(answer.getBlocks().getBlocksCount()).isBetween(1, 3);
        assertThat(answer.getBlocks().getSerializedSize()).isLessThanOrEqualTo(bound);
    }
}
