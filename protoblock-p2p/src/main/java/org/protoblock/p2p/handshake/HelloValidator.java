package org.protoblock.p2p.handshake;

import java.util.Optional;
import org.protoblock.p2p.chain.LocalChainInfo;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkException;

/**
 * Decides whether a peer's Hello is compatible with us. Version first (a newer protocol may mean
 * other things by the other fields), then network, then genesis. No I/O, no state.
 */
public final class HelloValidator {
    private final ProtocolVersion version;
    private final LocalChainInfo chain;

    public HelloValidator(ProtocolVersion version, LocalChainInfo chain) {
        this.version = version;
        this.chain = chain;
    }

    /** The refusal to send, or empty when the peer is compatible. */
    public Optional<LinkException> check(Hello remote) {
        if (!version.accepts(remote.protocolVersion())) {
            return refuse(DisconnectReason.INCOMPATIBLE_VERSION,
                    "their version " + remote.protocolVersion() + ", we need >= " + version.minCompatible());
        }
        if (!chain.networkId().equals(remote.networkId())) {
            return refuse(DisconnectReason.WRONG_NETWORK,
                    "their network '" + remote.networkId() + "', ours '" + chain.networkId() + "'");
        }
        if (!chain.genesisId().equals(remote.genesisId())) {
            return refuse(DisconnectReason.WRONG_GENESIS,
                    "their genesis " + remote.genesisId().shortHex() + ", ours " + chain.genesisId().shortHex());
        }
        return Optional.empty();
    }

    private static Optional<LinkException> refuse(DisconnectReason reason, String detail) {
        return Optional.of(new LinkException(reason, detail));
    }
}
