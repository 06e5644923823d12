package org.protoblock.p2p.host;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.session.LinkFailure;
import org.protoblock.p2p.session.PeerListener;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.wire.proto.Envelope;

/**
 * Records events for assertions. Requests for TXS/GET_TXS are answered by echo unless silenced
 * (to simulate a peer that never answers).
 */
public final class RecordingListener implements PeerListener {
    public record Connected(Session session, Hello hello) {
    }

    public record Disconnected(Session session, DisconnectReason reason, boolean byUs) {
    }

    public final List<Connected> connected = new CopyOnWriteArrayList<>();
    public final List<Envelope> messages = new CopyOnWriteArrayList<>();
    public final List<Disconnected> disconnected = new CopyOnWriteArrayList<>();
    public final List<LinkFailure> failures = new CopyOnWriteArrayList<>();
    public volatile boolean answerRequests = true;
    private static final int MAX_RECORDED = 100_000;

    @Override
    public void connected(Session session, Hello remoteHello) {
        connected.add(new Connected(session, remoteHello));
    }

    @Override
    public void message(Session session, Envelope envelope) {
        if (messages.size() < MAX_RECORDED) {
            messages.add(envelope);
        }
        if (envelope.getRequestId() != 0 && answerRequests) {
            session.respond(envelope, Envelope.newBuilder().setTxs(envelope.getTxs()).build());
        }
    }

    @Override
    public void disconnected(Session session, DisconnectReason reason, boolean byUs) {
        disconnected.add(new Disconnected(session, reason, byUs));
    }

    @Override
    public void linkFailed(LinkFailure failure) {
        failures.add(failure);
    }

    /** The reasons this node saw, from sessions that ended and links that never became one. */
    public List<DisconnectReason> reasons() {
        List<DisconnectReason> all = new java.util.ArrayList<>();
        disconnected.forEach(d -> all.add(d.reason()));
        failures.forEach(f -> all.add(f.closed().reason()));
        return all;
    }
}
