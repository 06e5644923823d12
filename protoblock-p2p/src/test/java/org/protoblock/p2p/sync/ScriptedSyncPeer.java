package org.protoblock.p2p.sync;

import com.google.protobuf.ByteString;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.p2p.chain.StaticChainInfo;
import org.protoblock.p2p.host.PeerHost;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.session.PeerEvents;
import org.protoblock.p2p.session.PeerListener;
import org.protoblock.p2p.session.Session;
import org.protoblock.p2p.testing.TestNetwork;
import org.protoblock.p2p.wire.proto.Blocks;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.ErrorResponse;
import org.protoblock.p2p.wire.proto.Headers;

/**
 * A peer without a chain that serves a fixed block list over the real link stack: honest headers,
 * and bodies passed through {@code serve} (a test makes it forge some). Answers on the event loop
 * (the list is in memory).
 */
final class ScriptedSyncPeer implements PeerListener, AutoCloseable {
    private final List<ChainBlock> blocks;
    private final Map<BlockId, Integer> index = new HashMap<>();
    private final UnaryOperator<ChainBlock> serve;
    private final PeerHost host;
    final AtomicInteger blocksServed = new AtomicInteger();

    ScriptedSyncPeer(Devnet devnet, TestNetwork net, List<ChainBlock> blocks, UnaryOperator<ChainBlock> serve) {
        this.blocks = blocks;
        this.serve = serve;
        index.put(devnet.genesis().id(), 0);
        for (int i = 0; i < blocks.size(); i++) {
            index.put(blocks.get(i).id(), i + 1);
        }
        ChainBlock last = blocks.get(blocks.size() - 1);
        PeerEvents events = new PeerEvents();
        events.register(this, EnumSet.of(Envelope.BodyCase.GET_HEADERS, Envelope.BodyCase.GET_BLOCKS));
        this.host = new PeerHost(NodeKey.generate(), new StaticChainInfo(devnet.params().networkId(),
                devnet.genesis().id(), last.asHead()), net.transport(),
                TestNetwork.fastP2pConfig().build(), events);
    }

    PeerHost host() {
        return host;
    }

    @Override
    public void message(Session session, Envelope envelope) {
        switch (envelope.getBodyCase()) {
            case GET_HEADERS -> {
                int from = 0;
                for (ByteString id : envelope.getGetHeaders().getLocatorList()) {
                    Integer at = index.get(BlockId.wrap(id.toByteArray()));
                    if (at != null) {
                        from = at;
                        break;
                    }
                }
                Headers.Builder out = Headers.newBuilder();
                for (int i = from; i < blocks.size() && out.getHeadersCount() < SyncConfig.MAX_HEADERS; i++) {
                    out.addHeaders(blocks.get(i).proto().getSignedhead().toByteString());
                }
                session.respond(envelope, Envelope.newBuilder().setHeaders(out).build());
            }
            case GET_BLOCKS -> {
                Blocks.Builder out = Blocks.newBuilder();
                for (ByteString id : envelope.getGetBlocks().getBlockIdsList()) {
                    Integer at = index.get(BlockId.wrap(id.toByteArray()));
                    if (at == null || at == 0) {
                        break;
                    }
                    out.addBlocks(serve.apply(blocks.get(at - 1)).proto().toByteString());
                    blocksServed.incrementAndGet();
                }
                if (out.getBlocksCount() == 0) {
                    session.respondError(envelope, ErrorResponse.Code.NOT_FOUND, "none");
                } else {
                    session.respond(envelope, Envelope.newBuilder().setBlocks(out).build());
                }
            }
            default -> { }
        }
    }

    @Override
    public void close() {
        host.close();
    }
}
