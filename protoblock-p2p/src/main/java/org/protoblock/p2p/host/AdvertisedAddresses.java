package org.protoblock.p2p.host;

import java.util.List;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * Which of our addresses we tell a peer at {@code remote} in our Hello. The default tells everyone
 * our listen addresses as bound; a node that checks its reachability tells peers beyond loopback
 * only the addresses others verified they can dial. Called on event loops: cheap and thread-safe.
 */
@FunctionalInterface
public interface AdvertisedAddresses {
    List<PeerAddress> forPeer(PeerAddress remote, List<PeerAddress> listening);

    /** Every listen address, to everyone. */
    AdvertisedAddresses ALL = (remote, listening) -> listening;
}
