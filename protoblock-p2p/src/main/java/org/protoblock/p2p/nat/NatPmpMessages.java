package org.protoblock.p2p.nat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * NAT-PMP (RFC 6886) requests and replies, as bytes.
 *
 * <p>External address (§3.2): request {@code 00 00}; reply 12 bytes: version 0, opcode 128, result
 * u16, epoch u32, IPv4 address. Map TCP (§3.3): request 12 bytes: version 0, opcode 2, 2 reserved,
 * internal port, suggested external port, lifetime u32 (0 with external port 0 deletes); reply 16
 * bytes: version 0, opcode 130, result u16, epoch u32, internal port, mapped external port, lifetime.
 */
final class NatPmpMessages {
    static final int OPCODE_EXTERNAL_ADDRESS = 0;
    static final int OPCODE_MAP_TCP = 2;
    static final int RESULT_SUCCESS = 0;

    /** Result code names, RFC 6886 §3.5, indexed by code. */
    private static final List<String> RESULTS = List.of("SUCCESS", "UNSUPPORTED_VERSION", "NOT_AUTHORIZED", "NETWORK_FAILURE",
            "OUT_OF_RESOURCES", "UNSUPPORTED_OPCODE");

    record ExternalAddressReply(int resultCode, long epoch, InetAddress address) {
    }

    record MapReply(int resultCode, long epoch, int internalPort, int externalPort, long lifetimeSeconds) {
    }

    private NatPmpMessages() {
    }

    static String resultName(int code) {
        return code < RESULTS.size() ? RESULTS.get(code) : "result " + code;
    }

    static byte[] externalAddressRequest() {
        return new byte[] {0, OPCODE_EXTERNAL_ADDRESS};
    }

    static byte[] mapRequest(int internalPort, int suggestedExternalPort, long lifetimeSeconds) {
        return ByteBuffer.allocate(12).put((byte) 0).put((byte) OPCODE_MAP_TCP).putShort((short) 0)
                .putShort((short) internalPort).putShort((short) suggestedExternalPort).putInt((int) lifetimeSeconds).array();
    }

    static ExternalAddressReply decodeExternalAddressReply(byte[] reply) throws PortMapException {
        ByteBuffer in = header(reply, OPCODE_EXTERNAL_ADDRESS, 12);
        int result = in.getShort() & 0xFFFF;
        long epoch = in.getInt() & 0xFFFFFFFFL;
        try {
            return new ExternalAddressReply(result, epoch, InetAddress.getByAddress(Arrays.copyOfRange(reply, 8, 12)));
        } catch (UnknownHostException e) {
            throw PortMapException.malformed("bad address bytes");
        }
    }

    static MapReply decodeMapReply(byte[] reply) throws PortMapException {
        ByteBuffer in = header(reply, OPCODE_MAP_TCP, 16);
        int result = in.getShort() & 0xFFFF;
        long epoch = in.getInt() & 0xFFFFFFFFL;
        int internalPort = in.getShort() & 0xFFFF;
        int externalPort = in.getShort() & 0xFFFF;
        long lifetime = in.getInt() & 0xFFFFFFFFL;
        return new MapReply(result, epoch, internalPort, externalPort, lifetime);
    }

    /**
     * Checks version and opcode; an error reply may be only the 8-byte header (§3.5), which
     * surfaces here as REFUSED so the result code is not lost to a length complaint.
     */
    private static ByteBuffer header(byte[] reply, int opcode, int size) throws PortMapException {
        if (reply.length < 4) {
            throw PortMapException.malformed("NAT-PMP reply of " + reply.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(reply);
        int version = in.get() & 0xFF;
        int op = in.get() & 0xFF;
        if (version != 0) {
            throw PortMapException.malformed("NAT-PMP reply version " + version);
        }
        if (op != (0x80 | opcode)) {
            throw PortMapException.malformed("NAT-PMP reply opcode " + op + ", expected " + (0x80 | opcode));
        }
        int result = ByteBuffer.wrap(reply, 2, 2).getShort() & 0xFFFF;
        if (reply.length < size) {
            if (result != RESULT_SUCCESS) {
                throw new PortMapException(PortMapException.Kind.REFUSED, "NAT-PMP refused: " + resultName(result));
            }
            throw PortMapException.malformed("NAT-PMP reply of " + reply.length + " bytes, expected " + size);
        }
        return in;
    }
}
