package org.protoblock.p2p.holepunch;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.HashSet;
import org.protoblock.fuzz.AllocationBudget;
import org.protoblock.p2p.discovery.AddressRules;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.HolePunchConnect;

/**
 * A peer's HolePunchConnect ({@link PunchAddresses#decode}), as protobuf bytes. Properties: no
 * exception; malformed means nothing decoded; otherwise at most 8 distinct addresses, each an
 * acceptable TCP IP literal, loopback only when allowed.
 */
class PunchAddressesFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void decode(FuzzedDataProvider data) throws Exception {
        boolean allowLoopback = data.consumeBoolean();
        byte[] bytes = data.consumeRemainingAsBytes();
        HolePunchConnect message;
        try {
            message = HolePunchConnect.parseFrom(bytes);
        } catch (InvalidProtocolBufferException notProtobuf) {
            return;
        }
        AllocationBudget.check(bytes.length, 64, () -> {
            PunchAddresses.Decoded decoded = PunchAddresses.decode(message, allowLoopback);
            if (decoded.malformed().isPresent()) {
                assertThat(decoded.addresses()).isEmpty();
                return;
            }
            assertThat(decoded.addresses()).hasSizeLessThanOrEqualTo(PunchAddresses.MAX_ADDRESSES);
            assertThat(new HashSet<>(decoded.addresses())).hasSameSizeAs(decoded.addresses());
            for (PeerAddress a : decoded.addresses()) {
                assertThat(AddressRules.acceptable(a, PeerAddress.TCP)).as(a.toString()).isTrue();
                assertThat(allowLoopback || !AddressRules.isLoopbackHost(a.host())).as(a.toString()).isTrue();
            }
        });
    }
}
