package org.protoblock.p2p.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.protoblock.p2p.discovery.SignedRecord;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.link.LinkClosedException;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.transport.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dials a node by its id (the operator's {@code addnode <node id>}): finds the node's signed record
 * (discovery's record book, else a lookup through our peers), then tries its addresses one after
 * another, each dial insisting on that id (a host that answers at the address with another key
 * ends with UNEXPECTED_IDENTITY), direct addresses first, then relayed ones through
 * {@link RelayedDialer} when one is set. An open session to the node answers at once.
 *
 * <p>Rationale: addresses are tried in turn, not at once, so that a node reached directly gets no
 * second link through a relay; a record holds at most {@link SignedRecord#MAX_ADDRESSES}, each dial
 * is bounded by the host's connect and handshake timeouts, so the whole dial is bounded too.
 *
 * <p>Threads: no mutable state; continuations run on whichever thread completed the step before.
 */
public final class IdDialer {
    private static final Logger log = LoggerFactory.getLogger(IdDialer.class);

    /** Dials {@code target} through the relay an address of its record names. */
    @FunctionalInterface
    public interface RelayedDialer {
        CompletableFuture<Session> dial(NodeId target, SignedRecord.Address relayed);
    }

    private final PeerHost host;
    private final Function<NodeId, CompletableFuture<Optional<SignedRecord>>> lookup;
    private volatile Optional<RelayedDialer> relayed = Optional.empty();

    /** {@code lookup}: a node id's newest record, from the book or our peers (discovery's RecordLookup). */
    public IdDialer(PeerHost host, Function<NodeId, CompletableFuture<Optional<SignedRecord>>> lookup) {
        this.host = Objects.requireNonNull(host, "host");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /** Where relayed addresses are dialed (the relay client); without one they are skipped. */
    public void relayedThrough(RelayedDialer dialer) {
        this.relayed = Optional.of(dialer);
    }

    /**
     * A session with {@code target}: the open one, else a new one. Fails with
     * {@link NodeUnreachableException} naming what was tried.
     */
    public CompletableFuture<Session> dial(NodeId target) {
        if (target.equals(host.nodeId())) {
            return CompletableFuture.failedFuture(new NodeUnreachableException("node " + target.shortForm() + " is this node"));
        }
        Optional<Session> open = host.session(target).filter(Session::isOpen);
        if (open.isPresent()) {
            return CompletableFuture.completedFuture(open.get());
        }
        return lookup.apply(target).thenCompose(record -> {
            if (record.isEmpty()) {
                throw new NodeUnreachableException("no signed record of node " + target.hex()
                        + " in the record book or from " + host.sessionCount() + " connected peers");
            }
            List<SignedRecord.Address> routes = routes(record.get());
            if (routes.isEmpty()) {
                throw new NodeUnreachableException("the record of node " + target.shortForm() + " (sequence "
                        + record.get().sequence() + ") has no address we can dial");
            }
            return tryFrom(target, routes, 0, new ArrayList<>());
        });
    }

    /** Direct addresses of our transport first, then relayed ones when we can dial through relays. */
    private List<SignedRecord.Address> routes(SignedRecord record) {
        String scheme = host.transport().scheme();
        List<SignedRecord.Address> out = new ArrayList<>();
        record.addresses().stream().filter(a -> a.isDirect() && scheme.equals(a.address().scheme())).forEach(out::add);
        if (relayed.isPresent()) {
            record.addresses().stream()
                    .filter(a -> !a.isDirect() && scheme.equals(a.address().scheme()) && !a.relay().get().equals(record.nodeId()))
                    .forEach(out::add);
        }
        return out;
    }

    private CompletableFuture<Session> tryFrom(NodeId target, List<SignedRecord.Address> routes, int index, List<String> failures) {
        if (index == routes.size()) {
            return CompletableFuture.failedFuture(new NodeUnreachableException(
                    "node " + target.shortForm() + " unreachable: " + String.join("; ", failures)));
        }
        SignedRecord.Address route = routes.get(index);
        CompletableFuture<Session> attempt;
        try {
            attempt = route.isDirect() ? host.dial(route.address(), Optional.of(target)) : relayed.get().dial(target, route);
        } catch (RuntimeException e) { // host closed
            attempt = CompletableFuture.failedFuture(e);
        }
        return attempt.handle((session, error) -> {
            if (error == null) {
                log.info("Dialed node {} by id at {}", target.shortForm(), describe(route));
                return CompletableFuture.completedFuture(session);
            }
            failures.add(describe(route) + ": " + why(error));
            return tryFrom(target, routes, index + 1, failures);
        }).thenCompose(f -> f);
    }

    private static String describe(SignedRecord.Address route) {
        PeerAddress a = route.address();
        return route.relay().map(r -> a + " via relay " + r.shortForm()).orElse(a.toString());
    }

    static String why(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof LinkClosedException closed) {
            return closed.getMessage();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
