package org.protoblock.node.sp;

import com.google.protobuf.InvalidProtocolBufferException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.protoblock.chain.concurrent.OwnedExecutor;
import org.protoblock.chain.service.Chain;
import org.protoblock.node.sp.proto.NodeReply;
import org.protoblock.node.sp.proto.NodeRequest;

/**
 * The 2015 node's request/reply service (its {@code Node::syncService}), byte-compatible:
 * <ul>
 *   <li>{@code HIGHT_REQUEST} → {@code NodeReply{hight = head height}};</li>
 *   <li>{@code BLOCK_REQUEST{num}} → the main chain's {@code Block} at {@code num}, serialized
 *       exactly as {@code getblock <num> 0} returns it;</li>
 *   <li>{@code HANDSHAKE} → {@code NodeReply{hight, ips = hosts of connected peers}} (at most
 *       {@value #MAX_IPS}). The caller's {@code myip} is not recorded: the node learns addresses
 *       from its peer protocol, not from anonymous clients;</li>
 *   <li>anything else, a block out of range, or bytes that are not a {@code NodeRequest} → an
 *       empty {@code NodeReply}. The seed's node crashed on some of these.</li>
 * </ul>
 * Read-only. Threads: store reads run on its own executor "sp-service", whose queue is bounded
 * ({@value #MAX_QUEUED}); a request beyond it is dropped (its client resends).
 */
public final class NodeRequestService implements SpService, AutoCloseable {
    public static final int MAX_IPS = 64;
    public static final int MAX_QUEUED = 256;
    private static final byte[] EMPTY_REPLY = NodeReply.getDefaultInstance().toByteArray();

    private final Chain chain;
    private final Supplier<List<String>> peerHosts;
    private final OwnedExecutor executor = new OwnedExecutor("sp-service", MAX_QUEUED);

    /** @param peerHosts the hosts of connected peers, any thread */
    public NodeRequestService(Chain chain, Supplier<List<String>> peerHosts) {
        this.chain = chain;
        this.peerHosts = peerHosts;
    }

    @Override
    public CompletableFuture<byte[]> handle(byte[] request, InetAddress from) {
        return executor.supply(() -> answer(request));
    }

    byte[] answer(byte[] bytes) {
        NodeRequest request;
        try {
            request = NodeRequest.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return EMPTY_REPLY;
        }
        if (!request.hasType()) {
            return EMPTY_REPLY;
        }
        return switch (request.getType()) {
            case HIGHT_REQUEST -> NodeReply.newBuilder().setHight(chain.head().num()).build().toByteArray();
            case BLOCK_REQUEST -> request.hasNum() && request.getNum() >= 0
                    ? chain.blockAt(request.getNum()).map(b -> b.proto().toByteArray()).orElse(EMPTY_REPLY)
                    : EMPTY_REPLY;
            case HANDSHAKE -> NodeReply.newBuilder().setHight(chain.head().num())
                    .addAllIps(peerHosts.get().stream().distinct().limit(MAX_IPS).toList()).build().toByteArray();
            default -> EMPTY_REPLY;
        };
    }

    @Override
    public void close() {
        executor.close();
    }
}
