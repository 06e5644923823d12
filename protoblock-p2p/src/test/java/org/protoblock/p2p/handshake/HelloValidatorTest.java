package org.protoblock.p2p.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.p2p.chain.StaticChainInfo;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkException;
import org.protoblock.p2p.transport.PeerAddress;

class HelloValidatorTest {
    private static final BlockId GENESIS = BlockId.fromHex("aa".repeat(32));
    private final StaticChainInfo chain = new StaticChainInfo("devnet", GENESIS, new ChainHead(BlockId.fromHex("bb".repeat(32)), 5));
    private final HelloValidator validator = new HelloValidator(new ProtocolVersion(3, 2), chain);

    private static Hello hello(int version, String network, BlockId genesis) {
        return new Hello(version, network, genesis, "test/1", List.of(PeerAddress.tcp("10.0.0.1", 8125)),
                Optional.of(PeerAddress.tcp("127.0.0.1", 5555)), new ChainHead(BlockId.fromHex("cc".repeat(32)), 7),
                EnumSet.of(Service.FULL, Service.RELAY), Instant.ofEpochMilli(1_700_000_000_000L));
    }

    private Optional<DisconnectReason> reason(Hello h) {
        return validator.check(h).map(LinkException::reason);
    }

    @Test
    void compatibleHelloPasses() {
        assertThat(reason(hello(3, "devnet", GENESIS))).isEmpty();
        assertThat(reason(hello(2, "devnet", GENESIS))).isEmpty();
        assertThat(reason(hello(9, "devnet", GENESIS))).isEmpty(); // newer peers judge us by their own minimum
    }

    @Test
    void mismatchesAreRefusedWithTheirReason() {
        assertThat(reason(hello(1, "devnet", GENESIS))).contains(DisconnectReason.INCOMPATIBLE_VERSION);
        assertThat(reason(hello(3, "mainnet", GENESIS))).contains(DisconnectReason.WRONG_NETWORK);
        assertThat(reason(hello(3, "devnet", BlockId.fromHex("ab".repeat(32))))).contains(DisconnectReason.WRONG_GENESIS);
        // Version is judged first: other fields may mean other things in another version.
        assertThat(reason(hello(1, "mainnet", BlockId.fromHex("ab".repeat(32))))).contains(DisconnectReason.INCOMPATIBLE_VERSION);
    }

    @Test
    void codecRoundTripsAndBoundsPeerInput() {
        Hello h = hello(3, "devnet", GENESIS);
        assertThat(HelloCodec.fromProto(HelloCodec.toProto(h))).isEqualTo(h);
        var tooMany = HelloCodec.toProto(h).toBuilder();
        for (int i = 0; i < HelloCodec.MAX_LISTEN_ADDRESSES; i++) {
            tooMany.addListenAddresses("tcp://1.2.3.4:1");
        }
        assertThatThrownBy(() -> HelloCodec.fromProto(tooMany.build())).isInstanceOf(LinkException.class);
        var junkAddress = HelloCodec.toProto(h).toBuilder().clearListenAddresses().addListenAddresses("nonsense")
                .setObservedAddress("x").setAgent("a".repeat(1000)).setServices(0xF0L | 4).build();
        Hello parsed = HelloCodec.fromProto(junkAddress);
        assertThat(parsed.listenAddresses()).isEmpty();
        assertThat(parsed.observedAddress()).isEmpty();
        assertThat(parsed.agent()).hasSize(HelloCodec.MAX_AGENT_CHARS);
        assertThat(parsed.services()).containsExactly(Service.PRODUCER);
    }

    @Test
    void idsMustBe32BytesAndTheHeadHeightAnInt() {
        var proto = HelloCodec.toProto(hello(3, "devnet", GENESIS));
        var shortGenesis = proto.toBuilder().setGenesisId(proto.getGenesisId().substring(1)).build();
        var longHeadId = proto.toBuilder().setHead(proto.getHead().toBuilder()
                .setBlockId(proto.getHead().getBlockId().concat(proto.getHead().getBlockId()))).build();
        var farHead = proto.toBuilder().setHead(proto.getHead().toBuilder().setNum(Integer.MAX_VALUE + 1L)).build();
        for (var bad : List.of(shortGenesis, longHeadId, farHead)) {
            assertThatThrownBy(() -> HelloCodec.fromProto(bad)).isInstanceOf(LinkException.class)
                    .extracting(e -> ((LinkException) e).reason()).isEqualTo(DisconnectReason.PROTOCOL_ERROR);
        }
        assertThat(HelloCodec.fromProto(proto).head()).isEqualTo(new ChainHead(BlockId.fromHex("cc".repeat(32)), 7));
    }

    @Test
    void peerAddressTextRoundTrips() {
        for (PeerAddress a : List.of(PeerAddress.tcp("127.0.0.1", 8125), PeerAddress.tcp("::1", 9), PeerAddress.local("node-1"))) {
            assertThat(PeerAddress.parse(a.toString())).contains(a);
        }
        assertThat(PeerAddress.parse("tcp://host:99999")).isEmpty();
        assertThat(PeerAddress.parse("tcp://host")).isEmpty();
    }
}
