package org.protoblock.p2p.nat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * PCP (RFC 6887) MAP requests and replies, as bytes.
 *
 * <p>Request (60 bytes): common header (§7.1: version 2, R=0|opcode 1, 2 reserved, lifetime u32,
 * client IP as 16 bytes, IPv4 as {@code ::ffff:a.b.c.d}) + MAP body (§11.1: 12-byte nonce, protocol,
 * 3 reserved, internal port, suggested external port, suggested external IP — all zero IPv4-mapped
 * for "any", as Bitcoin Core sends). Reply (§7.2): version, R=1|opcode, reserved, result code,
 * lifetime, epoch, 12 reserved, then the MAP body with the assigned port and address.
 *
 * <p>A NAT-PMP-only gateway answers with an 8-byte version-0 reply whose result is UNSUPP_VERSION
 * (RFC 6887 §9); that is reported as {@link PortMapException.Kind#UNSUPPORTED_VERSION}.
 */
final class PcpMessages {
    static final int VERSION = 2;
    static final int OPCODE_MAP = 1;
    static final int PROTOCOL_TCP = 6;
    static final int HEADER_SIZE = 24;
    static final int MAP_BODY_SIZE = 36;
    static final int NONCE_SIZE = 12;
    static final int RESULT_SUCCESS = 0;
    static final int RESULT_UNSUPP_VERSION = 1;

    /** Result code names, RFC 6887 §7.4, indexed by code. */
    private static final List<String> RESULTS = List.of("SUCCESS", "UNSUPP_VERSION", "NOT_AUTHORIZED", "MALFORMED_REQUEST",
            "UNSUPP_OPCODE", "UNSUPP_OPTION", "MALFORMED_OPTION", "NETWORK_FAILURE", "NO_RESOURCES", "UNSUPP_PROTOCOL",
            "USER_EX_QUOTA", "CANNOT_PROVIDE_EXTERNAL", "ADDRESS_MISMATCH", "EXCESSIVE_REMOTE_PEERS");

    /** A decoded MAP reply (fields as on the wire; checks against the request are the client's). */
    record MapReply(int resultCode, long lifetimeSeconds, long epoch, byte[] nonce, int protocol, int internalPort,
                    int externalPort, InetAddress externalAddress) {
        boolean success() {
            return resultCode == RESULT_SUCCESS;
        }
    }

    private PcpMessages() {
    }

    static String resultName(int code) {
        return code < RESULTS.size() ? RESULTS.get(code) : "result " + code;
    }

    static byte[] mapRequest(InetAddress client, byte[] nonce, int internalPort, long lifetimeSeconds) {
        if (nonce.length != NONCE_SIZE) {
            throw new IllegalArgumentException("nonce must be 12 bytes");
        }
        ByteBuffer out = ByteBuffer.allocate(HEADER_SIZE + MAP_BODY_SIZE);
        out.put((byte) VERSION).put((byte) OPCODE_MAP).putShort((short) 0).putInt((int) lifetimeSeconds);
        out.put(sixteenBytes(client));
        out.put(nonce).put((byte) PROTOCOL_TCP).put(new byte[3]);
        out.putShort((short) internalPort).putShort((short) internalPort);
        out.put(client instanceof Inet6Address ? new byte[16] : sixteenBytes(anyIpv4()));
        return out.array();
    }

    /** Decodes a MAP reply; a version-0 answer is the UNSUPP_VERSION fallback signal. */
    static MapReply decodeMapReply(byte[] reply) throws PortMapException {
        if (reply.length >= 4 && reply[0] == 0) {
            // RFC 6887 §9: a NAT-PMP server answers a PCP request with its own (version 0) error.
            throw new PortMapException(PortMapException.Kind.UNSUPPORTED_VERSION, "gateway speaks NAT-PMP (version 0 reply)");
        }
        if (reply.length < HEADER_SIZE) {
            throw PortMapException.malformed("PCP reply of " + reply.length + " bytes, shorter than its header");
        }
        if (reply.length > UdpExchange.MAX_REPLY || reply.length % 4 != 0) {
            throw PortMapException.malformed("PCP reply of " + reply.length + " bytes (must be a multiple of 4, at most 1100)");
        }
        ByteBuffer in = ByteBuffer.wrap(reply);
        int version = in.get() & 0xFF;
        int opcode = in.get() & 0xFF;
        in.get();
        int result = in.get() & 0xFF;
        long lifetime = in.getInt() & 0xFFFFFFFFL;
        long epoch = in.getInt() & 0xFFFFFFFFL;
        if (version != VERSION) {
            throw PortMapException.malformed("PCP reply version " + version);
        }
        if (opcode != (0x80 | OPCODE_MAP)) {
            throw PortMapException.malformed("PCP reply opcode 0x" + Integer.toHexString(opcode) + ", expected 0x81");
        }
        if (result == RESULT_UNSUPP_VERSION) {
            throw new PortMapException(PortMapException.Kind.UNSUPPORTED_VERSION, "gateway does not speak PCP version 2");
        }
        if (reply.length < HEADER_SIZE + MAP_BODY_SIZE) {
            if (result != RESULT_SUCCESS) {
                throw new PortMapException(PortMapException.Kind.REFUSED, "PCP MAP refused: " + resultName(result));
            }
            throw PortMapException.malformed("PCP MAP reply of " + reply.length + " bytes, shorter than header and MAP body");
        }
        in.position(HEADER_SIZE);
        byte[] nonce = new byte[NONCE_SIZE];
        in.get(nonce);
        int protocol = in.get() & 0xFF;
        in.position(in.position() + 3);
        int internalPort = in.getShort() & 0xFFFF;
        int externalPort = in.getShort() & 0xFFFF;
        byte[] address = new byte[16];
        in.get(address);
        return new MapReply(result, lifetime, epoch, nonce, protocol, internalPort, externalPort, fromSixteenBytes(address));
    }

    /** {@code a.b.c.d} as {@code ::ffff:a.b.c.d}; IPv6 as is. */
    static byte[] sixteenBytes(InetAddress address) {
        byte[] raw = address.getAddress();
        if (raw.length == 16) {
            return raw;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }

    /** The reverse of {@link #sixteenBytes}: IPv4-mapped addresses come back as IPv4. */
    static InetAddress fromSixteenBytes(byte[] raw) throws PortMapException {
        try {
            boolean mapped = Arrays.equals(raw, 0, 10, new byte[10], 0, 10) && raw[10] == (byte) 0xFF && raw[11] == (byte) 0xFF;
            return mapped ? InetAddress.getByAddress(Arrays.copyOfRange(raw, 12, 16)) : InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw PortMapException.malformed("bad address bytes");
        }
    }

    private static InetAddress anyIpv4() {
        try {
            return Inet4Address.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
