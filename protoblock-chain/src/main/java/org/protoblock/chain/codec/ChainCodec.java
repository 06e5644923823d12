package org.protoblock.chain.codec;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import org.protoblock.chain.proto.Block;
import org.protoblock.chain.proto.FantasybitProto;
import org.protoblock.chain.proto.SignedBlockHeader;
import org.protoblock.chain.proto.SignedTransaction;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.ValidationException;

/**
 * Bounded decoding of the chain's messages from untrusted bytes.
 *
 * <p>Rules, in order: the input must not exceed the limit for its type ({@link Rule#OVERSIZED});
 * for a block, a cheap pre-scan of the top-level fields counts the transactions and checks each
 * one's length before anything is allocated ({@link Rule#TOO_MANY_TRANSACTIONS},
 * {@link Rule#OVERSIZED}); then the protobuf parse, with every chain extension registered so that
 * their bytes survive re-serialization ({@link Rule#MALFORMED_ENCODING} on any protobuf error).
 * Only {@link ValidationException} leaves these methods. Thread-safe.
 *
 * <p>Canonical encoding: the input must be exactly what re-serializing the parsed message gives
 * ({@link Rule#MALFORMED_ENCODING} otherwise). Rationale: ids and signatures are over re-serialized
 * messages, so a non-canonical encoding (an over-long varint, a bool written as 0x21, fields out of
 * order, a field repeated) would be a second wire form of the same block, i.e. malleability a relay
 * could use; protobuf serializers never produce one.
 */
public final class ChainCodec {
    /** Knows every chain extension; immutable once built, so shared. */
    public static final ExtensionRegistry EXTENSIONS = buildRegistry();

    private static final int SIGNED_TRANSACTIONS_FIELD = Block.SIGNED_TRANSACTIONS_FIELD_NUMBER;

    private final ChainLimits limits;

    public ChainCodec(ChainLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    private static ExtensionRegistry buildRegistry() {
        ExtensionRegistry registry = ExtensionRegistry.newInstance();
        FantasybitProto.registerAllExtensions(registry);
        return registry.getUnmodifiable();
    }

    public ChainBlock parseBlock(byte[] bytes) throws ValidationException {
        checkSize(bytes.length, limits.maxBlockBytes(), "block");
        prescanBlock(bytes);
        return ChainBlock.of(parseCanonical(bytes, "Block", Block.parser()));
    }

    public ChainTransaction parseTransaction(byte[] bytes) throws ValidationException {
        checkSize(bytes.length, limits.maxTransactionBytes(), "transaction");
        return ChainTransaction.of(parseCanonical(bytes, "SignedTransaction", SignedTransaction.parser()));
    }

    /** A header alone (headers-first sync); bounded by the transaction size limit. */
    public SignedBlockHeader parseHeader(byte[] bytes) throws ValidationException {
        checkSize(bytes.length, limits.maxTransactionBytes(), "header");
        return parseCanonical(bytes, "SignedBlockHeader", SignedBlockHeader.parser());
    }

    private static <T extends MessageLite> T parseCanonical(byte[] bytes, String type, Parser<T> parser)
            throws ValidationException {
        T message;
        try {
            message = parser.parseFrom(bytes, EXTENSIONS);
        } catch (InvalidProtocolBufferException | RuntimeException e) { // no other exception may escape
            throw malformed(type, e);
        }
        checkCanonical(bytes, message.toByteArray(), type);
        return message;
    }

    private static void checkCanonical(byte[] input, byte[] reserialized, String type) throws ValidationException {
        if (!Arrays.equals(input, reserialized)) {
            int at = Arrays.mismatch(input, reserialized);
            throw new ValidationException(Rule.MALFORMED_ENCODING,
                    type + ": non-canonical encoding (re-serializes differently from byte " + at + ")");
        }
    }

    /** Counts signed_transactions and bounds each one's length without building messages. */
    private void prescanBlock(byte[] bytes) throws ValidationException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        int count = 0;
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == SIGNED_TRANSACTIONS_FIELD
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    int length = in.readRawVarint32();
                    if (length < 0 || length > limits.maxTransactionBytes()) {
                        throw new ValidationException(Rule.OVERSIZED,
                                "transaction #" + count + " is " + Integer.toUnsignedString(length) + " bytes, limit " + limits.maxTransactionBytes());
                    }
                    if (++count > limits.maxTransactionsPerBlock()) {
                        throw new ValidationException(Rule.TOO_MANY_TRANSACTIONS,
                                "more than " + limits.maxTransactionsPerBlock());
                    }
                    in.skipRawBytes(length);
                } else if (!in.skipField(tag)) {
                    break; // an end-group tag at top level: the real parse reports it
                }
            }
        } catch (IOException | RuntimeException e) {
            throw malformed("Block", e);
        }
    }

    private static void checkSize(int size, int limit, String what) throws ValidationException {
        if (size > limit) {
            throw new ValidationException(Rule.OVERSIZED, what + " is " + size + " bytes, limit " + limit);
        }
    }

    private static ValidationException malformed(String type, Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.length() > 200) {
            message = message.substring(0, 200) + "…";
        }
        return new ValidationException(Rule.MALFORMED_ENCODING, type + ": " + message);
    }
}
