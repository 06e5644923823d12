package org.protoblock.chain.store;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.TxId;

/**
 * Key layouts of the columns. Block and tx ids are their raw 32 bytes; heights are big-endian
 * int32 so that the stores' unsigned byte order is numeric order (heights are never negative);
 * names and public keys are UTF-8.
 */
public final class Keys {
    public static final int NUM_BYTES = Integer.BYTES;

    /** {@link Column#META}: the head (a StoredHead). */
    public static final byte[] HEAD = utf8("head");
    /** {@link Column#META}: the schema version, a big-endian int32. */
    public static final byte[] SCHEMA_VERSION = utf8("schema_version");

    private Keys() {
    }

    public static byte[] num(int num) {
        if (num < 0) {
            throw new IllegalArgumentException("block num < 0: " + num);
        }
        return ByteBuffer.allocate(NUM_BYTES).putInt(num).array();
    }

    /** The num of a {@link Column#MAIN_INDEX} key. */
    public static int numOf(byte[] key) {
        if (key.length != NUM_BYTES) {
            throw new StoreCorruptedException(Column.MAIN_INDEX, key, "key is not a 4-byte num");
        }
        return ByteBuffer.wrap(key).getInt();
    }

    public static byte[] id(BlockId id) {
        return id.toBytes();
    }

    public static byte[] id(TxId id) {
        return id.toBytes();
    }

    /** Decodes a 32-byte id stored in {@code column} under {@code key}, as key or value. */
    public static Hash256 hash(Column column, byte[] key, byte[] bytes) {
        if (bytes.length != Hash256.BYTES) {
            throw new StoreCorruptedException(column, key, "expected a 32-byte id, found " + bytes.length + " bytes");
        }
        return Hash256.wrap(bytes);
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Strict UTF-8 decoding: malformed bytes are corruption, not replacement characters. */
    public static String utf8(Column column, byte[] key, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new StoreCorruptedException(column, key, "malformed UTF-8", e);
        }
    }
}
