package org.protoblock.p2p.handshake;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.Hash256;
import org.protoblock.p2p.link.DisconnectReason;
import org.protoblock.p2p.link.LinkException;
import org.protoblock.p2p.link.PeerText;
import org.protoblock.p2p.transport.PeerAddress;

/**
 * {@link Hello} to and from its wire form, with bounds on everything a peer controls. Malformed
 * required fields fail with PROTOCOL_ERROR; unparseable optional addresses are dropped.
 */
public final class HelloCodec {
    public static final int MAX_AGENT_CHARS = 256;
    public static final int MAX_LISTEN_ADDRESSES = 16;
    public static final int MAX_NETWORK_ID_CHARS = 64;

    private HelloCodec() {
    }

    public static org.protoblock.p2p.wire.proto.Hello toProto(Hello hello) {
        var b = org.protoblock.p2p.wire.proto.Hello.newBuilder()
                .setProtocolVersion(hello.protocolVersion())
                .setNetworkId(hello.networkId())
                .setGenesisId(ByteString.copyFrom(hello.genesisId().toBytes()))
                .setAgent(hello.agent())
                .setHead(org.protoblock.p2p.wire.proto.ChainHead.newBuilder()
                        .setNum(hello.head().num())
                        .setBlockId(ByteString.copyFrom(hello.head().id().toBytes())))
                .setServices(Service.toMask(hello.services()))
                .setTimeMs(hello.time().toEpochMilli());
        hello.listenAddresses().forEach(a -> b.addListenAddresses(a.toString()));
        hello.observedAddress().ifPresent(a -> b.setObservedAddress(a.toString()));
        return b.build();
    }

    public static Hello fromProto(org.protoblock.p2p.wire.proto.Hello p) {
        if (p.getNetworkId().length() > MAX_NETWORK_ID_CHARS) {
            throw malformed("network id longer than " + MAX_NETWORK_ID_CHARS);
        }
        if (p.getGenesisId().size() != Hash256.BYTES || p.getHead().getBlockId().size() != Hash256.BYTES) {
            throw malformed("id not " + Hash256.BYTES + " bytes");
        }
        if (p.getHead().getNum() < 0 || p.getHead().getNum() > Integer.MAX_VALUE) {
            throw malformed("head number out of range");
        }
        if (p.getListenAddressesCount() > MAX_LISTEN_ADDRESSES) {
            throw malformed(p.getListenAddressesCount() + " listen addresses");
        }
        String agent = p.getAgent();
        if (agent.length() > MAX_AGENT_CHARS) {
            agent = agent.substring(0, MAX_AGENT_CHARS);
        }
        agent = PeerText.printable(agent); // shown in logs and getpeerinfo
        List<PeerAddress> listen = p.getListenAddressesList().stream()
                .map(PeerAddress::parse).flatMap(Optional::stream).toList();
        Optional<PeerAddress> observed = PeerAddress.parse(p.getObservedAddress());
        return new Hello(
                p.getProtocolVersion(),
                p.getNetworkId(),
                BlockId.wrap(p.getGenesisId().toByteArray()),
                agent,
                listen,
                observed,
                new ChainHead(BlockId.wrap(p.getHead().getBlockId().toByteArray()), (int) p.getHead().getNum()),
                Service.fromMask(p.getServices()),
                Instant.ofEpochMilli(p.getTimeMs()));
    }

    private static LinkException malformed(String what) {
        return new LinkException(DisconnectReason.PROTOCOL_ERROR, "malformed Hello: " + what);
    }
}
