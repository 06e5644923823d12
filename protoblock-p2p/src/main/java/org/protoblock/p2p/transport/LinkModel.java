package org.protoblock.p2p.transport;

import java.util.Optional;

/**
 * The simulated network under {@link InProcessTransport#shapedFor}: the profile of the link a node
 * opens to a listener, and where the link's bytes are counted. Implementations must be thread-safe
 * and cheap: {@link #profile} runs on every dial.
 */
public interface LinkModel {
    /** The link from node {@code dialer} to the listener named {@code listener}; empty: unreachable (partitioned). */
    Optional<LinkProfile> profile(String dialer, String listener);

    /** Counts the bytes of one link, seen from its dialer; called on the link's event loop. */
    default LinkMeter meter(String dialer, String listener) {
        return LinkMeter.NONE;
    }

    /** Byte counts of one link, seen from its dialer. */
    interface LinkMeter {
        LinkMeter NONE = new LinkMeter() {
            @Override
            public void sent(int bytes) {
            }

            @Override
            public void received(int bytes) {
            }
        };

        /** Bytes from the dialer to the listener, counted when they reach the listener. */
        void sent(int bytes);

        /** Bytes from the listener to the dialer, counted when they reach the dialer. */
        void received(int bytes);
    }
}
