package org.protoblock.p2p.link;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Why a link ended. The codes travel in {@code Disconnect} (wire numbers equal the proto enum) and
 * reach {@code PeerListener.disconnected}, so a peer manager can score and ban on them.
 */
public enum DisconnectReason {
    WRONG_NETWORK(1),
    WRONG_GENESIS(2),
    INCOMPATIBLE_VERSION(3),
    HANDSHAKE_TIMEOUT(4),
    IDLE_TIMEOUT(5),
    PROTOCOL_ERROR(6),
    TOO_MANY_PEERS(7),
    MISBEHAVIOUR(8),
    SHUTDOWN(9),
    SELF_CONNECTION(10),
    DUPLICATE_CONNECTION(11),
    SLOW_READER(12),
    UNEXPECTED_IDENTITY(13),
    /** The transport closed (remote hung up, reset) without a {@code Disconnect}. */
    CONNECTION_CLOSED(14),
    /** Closed on request of a local component, e.g. the peer manager evicting a peer. */
    REQUESTED(15);

    private static final Map<Integer, DisconnectReason> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(r -> r.code, Function.identity()));

    private final int code;

    DisconnectReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Unknown codes from newer peers read as PROTOCOL_ERROR rather than failing. */
    public static DisconnectReason fromCode(int code) {
        return BY_CODE.getOrDefault(code, PROTOCOL_ERROR);
    }
}
