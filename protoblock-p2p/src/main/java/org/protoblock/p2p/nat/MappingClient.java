package org.protoblock.p2p.nat;

import java.time.Duration;

/**
 * One gateway protocol speaking to one gateway for one internal TCP port: map (and renew by mapping
 * again) and delete. Implementations remember what deleting needs (PCP's nonce, UPnP's control URL).
 *
 * <p>Threads: called only on the {@link PortMapper}'s thread; calls block for at most their try budget.
 */
interface MappingClient {
    MappingProtocol protocol();

    /** Asks for (or renews) the mapping of {@code internalPort} for {@code lifetime}. */
    GatewayGrant map(int internalPort, Duration lifetime) throws PortMapException;

    /** Deletes the mapping of {@code internalPort}, one short try: the caller is shutting down. */
    void unmap(int internalPort) throws PortMapException;
}
