package org.protoblock.p2p.peer;

import java.time.Instant;
import java.util.Objects;

/** One ban: until when, since when and why. */
public record Ban(BanTarget target, Instant created, Instant until, String reason) {
    public Ban {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(reason, "reason");
        if (reason.length() > 200) {
            reason = reason.substring(0, 200);
        }
    }

    public boolean activeAt(Instant now) {
        return now.isBefore(until);
    }
}
