package org.protoblock.node.sp;

import java.util.Arrays;
import java.util.Optional;

/**
 * The scalability protocols this node serves, with their 16-bit ids as nng 1.x and nanomsg put
 * them in the connection header, and the names used in the WebSocket subprotocol
 * ({@code <name>.sp.nanomsg.org}, named after the server's side).
 */
public enum SpProtocol {
    PUB(0x20, "pub"),
    SUB(0x21, "sub"),
    REQ(0x30, "req"),
    REP(0x31, "rep");

    private final int id;
    private final String wsName;

    SpProtocol(int id, String wsName) {
        this.id = id;
        this.wsName = wsName;
    }

    public int id() {
        return id;
    }

    /** The protocol a peer of this one must speak: REP serves REQ, PUB serves SUB. */
    public SpProtocol peer() {
        return switch (this) {
            case PUB -> SUB;
            case SUB -> PUB;
            case REQ -> REP;
            case REP -> REQ;
        };
    }

    /** The WebSocket subprotocol a client asks for to reach a server of this protocol. */
    public String webSocketSubprotocol() {
        return wsName + ".sp.nanomsg.org";
    }

    public static Optional<SpProtocol> byId(int id) {
        return Arrays.stream(values()).filter(p -> p.id == id).findFirst();
    }
}
