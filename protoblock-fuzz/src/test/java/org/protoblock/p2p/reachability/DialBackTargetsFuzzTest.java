package org.protoblock.p2p.reachability;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.util.List;
import org.protoblock.fuzz.AllocationBudget;
import org.protoblock.p2p.discovery.AddressRules;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * A peer's DialBackRequest address ({@link DialBackTargets#check}) from a requester at one of a few
 * hosts. Properties: no exception; a granted target is an acceptable tcp IP literal (ASCII only)
 * whose address equals the requester's (never a third party); a refusal says why.
 */
class DialBackTargetsFuzzTest {
    static final List<String> REQUESTERS = List.of("203.0.113.9", "192.168.1.7", "127.0.0.1", "2001:db8::9", "::ffff:203.0.113.9");

    @FuzzTest(maxDuration = "10s")
    void check(FuzzedDataProvider data) throws Exception {
        PeerAddress requester = PeerAddress.tcp(REQUESTERS.get(data.consumeInt(0, REQUESTERS.size() - 1)), 40000);
        String requested = data.consumeRemainingAsString();
        AllocationBudget.check(requested.length() * 4, 64, () -> {
            DialBackTargets.Result result = DialBackTargets.check(requested, requester);
            if (result.target().isEmpty()) {
                assertThat(result.refusal()).isNotEmpty();
                return;
            }
            PeerAddress target = result.target().get();
            assertThat(target.host().chars().allMatch(c -> c < 128 && (Character.digit(c, 16) >= 0 || c == '.' || c == ':')))
                    .as("host %s is an ASCII IP literal", target.host()).isTrue();
            assertThat(AddressRules.acceptable(target, PeerAddress.TCP)).isTrue();
            assertThat(InetAddress.getByName(target.host())).isEqualTo(InetAddress.getByName(requester.host()));
        });
    }
}
