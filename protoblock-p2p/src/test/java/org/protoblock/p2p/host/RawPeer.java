package org.protoblock.p2p.host;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.protoblock.p2p.chain.StaticChainInfo;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.handshake.ProtocolVersion;
import org.protoblock.p2p.handshake.HelloCodec;
import org.protoblock.p2p.handshake.Service;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.noise.NoiseFraming;
import org.protoblock.p2p.noise.NoiseHandshakeHandler;
import org.protoblock.p2p.noise.NoisePrologue;
import org.protoblock.p2p.noise.SecureLinkEstablished;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.transport.Transport;
import org.protoblock.p2p.wire.EnvelopeDecoder;
import org.protoblock.p2p.wire.EnvelopeEncoder;
import org.protoblock.p2p.wire.proto.Envelope;

/**
 * A hand-driven peer for hostile tests: does Noise with our handlers and sends a valid Hello, then
 * lets the test write whatever it likes (raw plaintext inside the encrypted stream, or envelopes),
 * and never answers anything.
 */
final class RawPeer {
    private final Channel channel;

    private RawPeer(Channel channel) {
        this.channel = channel;
    }

    static RawPeer connect(Transport transport, PeerAddress address) throws Exception {
        StaticChainInfo chain = TestNet.chain();
        return connect(transport, address, Optional.of(HelloCodec.toProto(new Hello(ProtocolVersion.DEFAULT.current(), chain.networkId(),
                chain.genesisId(), "raw", List.of(), Optional.empty(), chain.head(), java.util.Set.of(Service.FULL),
                Instant.now()))));
    }

    /** Completes Noise, then sends {@code hello} if present (any proto, malformed ones too). */
    static RawPeer connect(Transport transport, PeerAddress address,
                           Optional<org.protoblock.p2p.wire.proto.Hello> hello) throws Exception {
        CompletableFuture<Void> secure = new CompletableFuture<>();
        StaticChainInfo chain = TestNet.chain();
        ChannelInitializer<Channel> init = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                NoiseFraming.addTo(ch.pipeline(), new NoiseHandshakeHandler(NodeKey.generate(),
                        new NoisePrologue(ProtocolVersion.DEFAULT.current(), chain.networkId()), true, Optional.empty()));
                ch.pipeline().addLast(EnvelopeDecoder.NAME, new EnvelopeDecoder(64 * 1024 * 1024));
                ch.pipeline().addLast(EnvelopeEncoder.NAME, new EnvelopeEncoder(64 * 1024 * 1024));
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        if (evt instanceof SecureLinkEstablished) {
                            hello.ifPresent(h -> ctx.writeAndFlush(Envelope.newBuilder().setHello(h).build()));
                            secure.complete(null);
                        }
                    }

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        ctx.close();
                    }
                });
            }
        };
        Channel ch = transport.dial(address, init, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        secure.get(10, TimeUnit.SECONDS);
        return new RawPeer(ch);
    }

    Channel channel() {
        return channel;
    }

    /** Plaintext bytes inside the encrypted stream, bypassing the envelope encoder. */
    void writePlain(ByteBuf bytes) {
        channel.pipeline().context(EnvelopeDecoder.NAME).writeAndFlush(bytes);
    }

    void write(Envelope envelope) {
        channel.writeAndFlush(envelope);
    }

    boolean isOpen() {
        return channel.isActive();
    }

    void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
