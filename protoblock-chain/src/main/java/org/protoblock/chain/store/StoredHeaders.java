package org.protoblock.chain.store;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Optional;
import org.protoblock.chain.proto.Block;

/**
 * The serialized {@code SignedBlockHeader} inside a serialized {@code Block}, cut out without parsing
 * the transactions: for blocks stored before {@link Column#HEADERS} existed. Thread-safe (stateless).
 */
public final class StoredHeaders {
    private StoredHeaders() {
    }

    /** The header field's bytes; empty when the block has none or does not decode. */
    public static Optional<byte[]> cutFrom(byte[] block) {
        CodedInputStream in = CodedInputStream.newInstance(block);
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == Block.SIGNEDHEAD_FIELD_NUMBER
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    return Optional.of(in.readByteArray());
                }
                if (!in.skipField(tag)) {
                    break;
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
