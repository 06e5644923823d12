package org.protoblock.p2p.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;

/**
 * A hook for serving another protocol on the P2P listening port (port unification, as the 2015
 * node served nanomsg clients on 8125). Given the P2P initializer of the listener, it returns the
 * child handler to use instead: one that looks at an accepted connection's first bytes and either
 * runs the P2P initializer (a peer: the Noise stack then starts as usual, from the first byte) or
 * sets up its own protocol. The P2P stack is untouched either way.
 */
@FunctionalInterface
public interface PortSharing {
    /** No other protocol: every accepted connection is a peer. */
    PortSharing NONE = p2pInit -> p2pInit;

    ChannelHandler inbound(ChannelInitializer<Channel> p2pInit);
}
