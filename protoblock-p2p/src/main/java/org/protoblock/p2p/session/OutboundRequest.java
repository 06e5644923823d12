package org.protoblock.p2p.session;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.protoblock.p2p.wire.proto.Envelope;

/**
 * A request on its way down the pipeline, before {@link RequestMatcher} gives it an id. Never
 * reaches the wire as such: the matcher writes the envelope, numbered, in its place.
 */
record OutboundRequest(Envelope request, Duration timeout, CompletableFuture<Envelope> response) {
}
