package org.protoblock.p2p.handshake;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * What a peer says about itself when a link opens. Its identity is not here: that is the
 * authenticated {@code NodeId} from the Noise handshake.
 *
 * @param observedAddress the address the sender sees the receiver at ("you are")
 * @param time            the sender's clock when it sent the Hello
 */
public record Hello(
        int protocolVersion,
        String networkId,
        BlockId genesisId,
        String agent,
        List<PeerAddress> listenAddresses,
        Optional<PeerAddress> observedAddress,
        ChainHead head,
        Set<Service> services,
        Instant time) {

    public Hello {
        Objects.requireNonNull(networkId, "networkId");
        Objects.requireNonNull(genesisId, "genesisId");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(time, "time");
        listenAddresses = List.copyOf(listenAddresses);
        observedAddress = Objects.requireNonNull(observedAddress, "observedAddress");
        services = Set.copyOf(services);
    }
}
