package org.protoblock.fuzz;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.protoblock.chain.network.Networks;
import org.protoblock.chain.testing.Devnet;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.p2p.discovery.LanBeacons;
import org.protoblock.p2p.discovery.PeerRecords;
import org.protoblock.p2p.discovery.SignedRecord;
import org.protoblock.p2p.gossip.CompactBlock;
import org.protoblock.p2p.handshake.Hello;
import org.protoblock.p2p.handshake.HelloCodec;
import org.protoblock.p2p.handshake.Service;
import org.protoblock.p2p.identity.NodeId;
import org.protoblock.p2p.identity.NodeKey;
import org.protoblock.p2p.noise.NoiseHandshake;
import org.protoblock.p2p.noise.NoisePrologue;
import org.protoblock.p2p.transport.PeerAddress;
import org.protoblock.p2p.wire.proto.Blocks;
import org.protoblock.p2p.wire.proto.Envelope;
import org.protoblock.p2p.wire.proto.GetBlockTxs;
import org.protoblock.p2p.wire.proto.Peers;
import org.protoblock.p2p.wire.proto.Ping;

/**
 * Writes the seed inputs of every target from real data (mainnet's genesis, a devnet's blocks,
 * messages built with the protobuf builders and the project's own encoders) into
 * {@code src/test/resources/<package>/<Class>Inputs/<method>/}, where Jazzer's regression mode reads
 * them. Run once after a format change: {@code protoblock-fuzz/fuzz --write-seeds}. Inputs of
 * targets that take a {@code FuzzedDataProvider} end with the control bytes it reads from the end.
 */
public final class SeedCorpus {
    private final Path root;

    private SeedCorpus(Path root) {
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        new SeedCorpus(Path.of(args.length > 0 ? args[0] : "protoblock-fuzz/src/test/resources")).writeAll();
    }

    private void writeAll() throws Exception {
        ChainBlock mainnet = Fixtures.mainnetGenesis();
        Devnet devnet = Fixtures.devnet();
        List<ChainBlock> children = Fixtures.devnetChildren(devnet);
        List<ChainBlock> blocks = List.of(mainnet, devnet.genesis(), children.get(0), children.get(1));

        String codec = "org.protoblock.chain.codec.ChainCodecFuzzTest";
        for (int i = 0; i < blocks.size(); i++) {
            ChainBlock b = blocks.get(i);
            write(codec, "block", "block" + i, b.proto().toByteArray());
            write(codec, "header", "header" + i, b.proto().getSignedhead().toByteArray());
            write(codec, "transaction", "tx" + i, b.transactions().get(b.transactions().size() - 1).proto().toByteArray());
        }

        Hello hello = new Hello(1, Networks.MAINNET, mainnet.id(), "protoblock/0.1.0",
                List.of(PeerAddress.tcp("203.0.113.7", 8125), PeerAddress.tcp("2001:db8::7", 8125)),
                Optional.of(PeerAddress.tcp("198.51.100.4", 40112)), new ChainHead(mainnet.id(), 0),
                Set.of(Service.FULL), Instant.parse("2026-11-27T12:00:00Z"));
        byte[] helloBytes = HelloCodec.toProto(hello).toByteArray();
        write("org.protoblock.p2p.handshake.HelloFuzzTest", "hello", "mainnet", helloBytes);
        Hello devnetHello = new Hello(1, devnet.params().networkId(), devnet.genesis().id(), "tool\n\u001b[31m",
                List.of(), Optional.empty(), new ChainHead(children.get(1).id(), 2), Set.of(), Instant.EPOCH);
        write("org.protoblock.p2p.handshake.HelloFuzzTest", "hello", "devnet", HelloCodec.toProto(devnetHello).toByteArray());

        String envelope = "org.protoblock.p2p.wire.EnvelopeDecoderFuzzTest";
        Envelope helloEnv = Envelope.newBuilder().setHello(HelloCodec.toProto(hello)).build();
        Envelope ping = Envelope.newBuilder().setRequestId(7).setPing(Ping.newBuilder().setNonce(99)).build();
        write(envelope, "stream", "handshake", fdp(concat(framed(helloEnv.toByteArray()), framed(ping.toByteArray())), 0x5eedL, 0));
        Envelope newBlock = Envelope.newBuilder().setNewBlock(CompactBlock.of(children.get(0), 0x5eedL).toMessage()).build();
        Envelope blocksEnv = Envelope.newBuilder().setRequestId(3).setIsResponse(true)
                .setBlocks(Blocks.newBuilder().addBlocks(children.get(1).proto().toByteString())).build();
        Envelope getTxs = Envelope.newBuilder().setRequestId(4).setGetBlockTxs(GetBlockTxs.newBuilder()
                .setBlockId(ByteString.copyFrom(children.get(1).id().toBytes())).addIndexes(0).addIndexes(2)).build();
        write(envelope, "stream", "session", fdp(concat(framed(newBlock.toByteArray()), framed(blocksEnv.toByteArray()),
                framed(getTxs.toByteArray())), 0x1234L, 1));

        String compact = "org.protoblock.p2p.gossip.CompactBlockFuzzTest";
        for (int i = 0; i < blocks.size(); i++) {
            byte[] controls = new byte[16 * 4 + 8];
            for (int j = 0; j < controls.length; j++) {
                controls[j] = (byte) (j * 7);
            }
            write(compact, "announce", "newblock" + i, concat(CompactBlock.of(blocks.get(i), i).toMessage().toByteArray(), controls));
        }

        NodeKey initiator = NodeKey.fromPrivateKey(fill((byte) 2));
        byte[] prologue = new NoisePrologue(1, Networks.MAINNET).toBytes();
        byte[] message1;
        try (NoiseHandshake hs = NoiseHandshake.initiator(initiator.staticPrivateKey(), prologue)) {
            message1 = hs.writeMessage(prologue);
        }
        String noise = "org.protoblock.p2p.noise.NoiseHandshakeFuzzTest";
        write(noise, "handshake", "responder", fdp(concat(noiseFrame(message1), noiseFrame(new byte[64])), 0x77L, 0));
        write(noise, "handshake", "initiator", fdp(noiseFrame(new byte[32 + 48 + 16]), 0x78L, 1));

        String addresses = "org.protoblock.p2p.discovery.AddressMessagesFuzzTest";
        NodeId other = NodeId.hashOf(fill((byte) 9));
        Peers peers = Peers.newBuilder()
                .addPeers(PeerRecords.toProto(other, List.of(PeerAddress.tcp("203.0.113.20", 8125)), Instant.parse("2026-11-27T10:00:00Z"), true))
                .addPeers(PeerRecords.toProto(NodeId.hashOf(fill((byte) 10)),
                        List.of(PeerAddress.tcp("10.0.0.3", 8125), PeerAddress.tcp("[2001:db8::3]", 8125)), Instant.EPOCH, false))
                .addPeers(PeerRecords.toProto(NodeId.hashOf(fill((byte) 11)), List.of(PeerAddress.tcp("127.0.0.1", 19101)),
                        Instant.EPOCH, false))
                .build();
        write(addresses, "peers", "public-source", concat(peers.toByteArray(), new byte[] {0}));
        write(addresses, "peers", "lan-source", concat(peers.toByteArray(), new byte[] {1}));
        SignedRecord signed = SignedRecord.sign(org.protoblock.p2p.identity.IdentityKey.fromSeed(fill((byte) 12)),
                List.of(SignedRecord.Address.direct(PeerAddress.tcp("203.0.113.20", 8125)),
                        SignedRecord.Address.relayed(other, PeerAddress.tcp("198.51.100.7", 8125))), 1_764_000_000_000L);
        write(addresses, "signedRecord", "valid", signed.toProto().toByteArray());
        byte[] beacon = new LanBeacons(Networks.MAINNET, mainnet.id().toHex(), other)
                .encode(List.of(PeerAddress.tcp("0.0.0.0", 8125), PeerAddress.tcp("192.168.1.7", 8125)));
        write(addresses, "lanBeacon", "lan", concat(beacon, new byte[] {1}));
        write(addresses, "lanBeacon", "public", concat(beacon, new byte[] {0}));

        String dialBack = "org.protoblock.p2p.reachability.DialBackTargetsFuzzTest";
        write(dialBack, "check", "ipv4", concat("tcp://203.0.113.9:9000".getBytes(StandardCharsets.US_ASCII), new byte[] {0}));
        write(dialBack, "check", "ipv6", concat("tcp://[2001:db8::9]:9000".getBytes(StandardCharsets.US_ASCII), new byte[] {3}));

        writeNat();
        writeRpc(devnet, children);
        writeSp();
        writeCircuits();
    }

    private void writeNat() throws IOException {
        String nat = "org.protoblock.p2p.nat.NatMessagesFuzzTest";
        ByteBuffer pcp = ByteBuffer.allocate(60);
        pcp.put((byte) 2).put((byte) 0x81).put((byte) 0).put((byte) 0).putInt(2400).putInt(12345).put(new byte[12]);
        pcp.put(new byte[12]).put((byte) 6).put(new byte[3]).putShort((short) 8125).putShort((short) 8125);
        pcp.put(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 203, 0, 113, 1});
        write(nat, "pcpReply", "map-success", pcp.array());
        write(nat, "pcpReply", "natpmp-answer", new byte[] {0, (byte) 0x81, 0, 1, 0, 0, 0, 1});
        ByteBuffer pmp = ByteBuffer.allocate(16);
        pmp.put((byte) 0).put((byte) 0x82).putShort((short) 0).putInt(777).putShort((short) 8125).putShort((short) 8125).putInt(7200);
        write(nat, "natPmpReply", "map-success", pmp.array());
        write(nat, "natPmpReply", "external-address", new byte[] {0, (byte) 0x80, 0, 0, 0, 0, 3, 9, (byte) 203, 0, 113, 1});
        write(nat, "ssdpAnswer", "igd", ("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                + "USN: uuid:1234::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nEXT:\r\nSERVER: Debian/12 UPnP/1.1 MiniUPnPd/2.3.1\r\n"
                + "LOCATION: http://192.168.1.1:5000/rootDesc.xml\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        write(nat, "igdDescription", "miniupnpd", ("<?xml version=\"1.0\"?>\n<root xmlns=\"urn:schemas-upnp-org:device-1-0\">"
                + "<specVersion><major>1</major><minor>1</minor></specVersion><device>"
                + "<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType><deviceList><device>"
                + "<deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType><deviceList><device>"
                + "<deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType><serviceList><service>"
                + "<serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType>"
                + "<serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId><controlURL>/ctl/IPConn</controlURL>"
                + "<eventSubURL>/evt/IPConn</eventSubURL><SCPDURL>/WANIPCn.xml</SCPDURL></service></serviceList>"
                + "</device></deviceList></device></deviceList></device></root>").getBytes(StandardCharsets.UTF_8));
        write(nat, "soapAnswer", "external-ip", ("<?xml version=\"1.0\"?>\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                + "s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>"
                + "<u:GetExternalIPAddressResponse xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\">"
                + "<NewExternalIPAddress>203.0.113.1</NewExternalIPAddress></u:GetExternalIPAddressResponse></s:Body></s:Envelope>")
                .getBytes(StandardCharsets.UTF_8));
        write(nat, "soapAnswer", "fault", ("<?xml version=\"1.0\"?>\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                + "<s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail>"
                + "<UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>725</errorCode>"
                + "<errorDescription>OnlyPermanentLeasesSupported</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>")
                .getBytes(StandardCharsets.UTF_8));
    }

    private void writeRpc(Devnet devnet, List<ChainBlock> children) throws IOException {
        String rpc = "org.protoblock.node.rpc.JsonRpcFuzzTest";
        String hash = children.get(0).id().toHex();
        String tx = HexFormat.of().formatHex(devnet.nameTx("dave").proto().toByteArray());
        List<String> requests = List.of(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getblockcount\",\"params\":[]}",
                "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"getblock\",\"params\":[0,2]}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"getblock\",\"params\":{\"blockhash\":\"" + hash + "\",\"verbosity\":0}}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"getblockheader\",\"params\":[\"1\",false]}",
                "[{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"getbestblockhash\"},{\"jsonrpc\":\"2.0\",\"method\":\"getmempoolinfo\"},"
                        + "{\"id\":null,\"method\":\"getrawmempool\",\"params\":[true]},{\"id\":5,\"method\":\"getchaintips\"}]",
                "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"sendrawtransaction\",\"params\":[\"" + tx + "\"]}");
        for (int i = 0; i < requests.size(); i++) {
            write(rpc, "request", "request" + i, requests.get(i).getBytes(StandardCharsets.UTF_8));
        }
    }

    private void writeCircuits() throws IOException {
        String circuits = "org.protoblock.p2p.relay.CircuitSwitchFuzzTest";
        byte[] magic = "PBCIRC01".getBytes(StandardCharsets.US_ASCII);
        byte[] cut = ByteBuffer.allocate(8).putLong(0x42L).array();
        write(circuits, "preamble", "expected", concat(magic, fill((byte) 0x5a), noiseFrame(new byte[32]), cut));
        write(circuits, "preamble", "unknown", concat(magic, fill((byte) 0x11), cut));
        write(circuits, "preamble", "noise", concat(noiseFrame(new byte[32]), cut));
    }

    private void writeSp() throws IOException {
        String sp = "org.protoblock.node.sp.SpDecodersFuzzTest";
        byte[] header = {0, 'S', 'P', 0, 0, 0x30, 0, 0};
        byte[] request = concat(new byte[] {(byte) 0x80, 0, 0, 7}, "getblockcount".getBytes(StandardCharsets.US_ASCII));
        byte[] tcp = concat(header, ByteBuffer.allocate(8).putLong(request.length).array(), request);
        write(sp, "stream", "tcp", concat(tcp, ByteBuffer.allocate(8).putLong(0x99L).array(), new byte[] {0}));
        byte[] ipc = concat(header, new byte[] {1}, ByteBuffer.allocate(8).putLong(request.length).array(), request);
        write(sp, "stream", "ipc", concat(ipc, ByteBuffer.allocate(8).putLong(0x98L).array(), new byte[] {1}));
        byte[] mask = {1, 2, 3, 4};
        ByteArrayOutputStream ws = new ByteArrayOutputStream();
        ws.write(0x82);
        ws.write(0x80 | request.length);
        ws.write(mask, 0, 4);
        for (int i = 0; i < request.length; i++) {
            ws.write(request[i] ^ mask[i % 4]);
        }
        write(sp, "stream", "ws", concat(ws.toByteArray(), ByteBuffer.allocate(8).putLong(0x97L).array(), new byte[] {2}));
    }

    /** Stream, then what the target's FuzzedDataProvider reads from the end: a long (the cut seed), then one byte. */
    private static byte[] fdp(byte[] stream, long seed, int lastByte) {
        return concat(stream, ByteBuffer.allocate(8).putLong(seed).array(), new byte[] {(byte) lastByte});
    }

    private static byte[] framed(byte[] envelope) {
        return concat(ByteBuffer.allocate(4).putInt(envelope.length).array(), envelope);
    }

    private static byte[] noiseFrame(byte[] message) {
        return concat(new byte[] {(byte) (message.length >> 8), (byte) message.length}, message);
    }

    private static byte[] fill(byte b) {
        byte[] out = new byte[32];
        java.util.Arrays.fill(out, b);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    private void write(String testClass, String method, String name, byte[] bytes) throws IOException {
        int dot = testClass.lastIndexOf('.');
        Path dir = root.resolve(testClass.substring(0, dot).replace('.', '/'))
                .resolve(testClass.substring(dot + 1) + "Inputs").resolve(method);
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), bytes);
    }
}
