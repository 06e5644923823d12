package org.protoblock.p2p.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Optional;
import org.protoblock.chain.network.Networks;
import org.protoblock.fuzz.AllocationBudget;
import org.protoblock.p2p.chain.StaticChainInfo;
import org.protoblock.p2p.link.LinkException;

/**
 * A peer's Hello body: protobuf parse, {@link HelloCodec#fromProto}, {@link HelloValidator#check}
 * against mainnet at genesis. Properties: only {@link InvalidProtocolBufferException} (parse) and
 * {@link LinkException} (codec) escape; an accepted Hello keeps its fields through encode → decode
 * and its agent text carries nothing a log would interpret; allocation stays linear.
 */
class HelloFuzzTest {
    private static final HelloValidator VALIDATOR = new HelloValidator(ProtocolVersion.DEFAULT,
            StaticChainInfo.atGenesis(Networks.MAINNET, Networks.MAINNET_GENESIS_ID));

    @FuzzTest(maxDuration = "10s")
    void hello(byte[] input) throws Exception {
        AllocationBudget.check(input.length, 64, () -> {
            org.protoblock.p2p.wire.proto.Hello proto;
            try {
                proto = org.protoblock.p2p.wire.proto.Hello.parseFrom(input);
            } catch (InvalidProtocolBufferException e) {
                return;
            }
            Hello hello;
            try {
                hello = HelloCodec.fromProto(proto);
            } catch (LinkException e) {
                return;
            }
            Optional<LinkException> refusal = VALIDATOR.check(hello);
            refusal.ifPresent(r -> assertThat(r.reason()).isNotNull());
            assertThat(hello.agent().codePoints().noneMatch(HelloFuzzTest::interpreted)).isTrue();
            assertThat(hello.listenAddresses().size()).isLessThanOrEqualTo(HelloCodec.MAX_LISTEN_ADDRESSES);
            Hello again = HelloCodec.fromProto(HelloCodec.toProto(hello));
            assertThat(again.protocolVersion()).isEqualTo(hello.protocolVersion());
            assertThat(again.networkId()).isEqualTo(hello.networkId());
            assertThat(again.genesisId()).isEqualTo(hello.genesisId());
            assertThat(again.head()).isEqualTo(hello.head());
            assertThat(again.listenAddresses()).isEqualTo(hello.listenAddresses());
            assertThat(again.observedAddress()).isEqualTo(hello.observedAddress());
            assertThat(again.services()).isEqualTo(hello.services());
            assertThat(again.time()).isEqualTo(hello.time());
        });
    }

    /** Characters a terminal or log viewer would act on or hide (what PeerText must escape). */
    private static boolean interpreted(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
    }
}
