package org.protoblock.chain.store;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Optional;
import org.protoblock.chain.proto.Block;
import org.protoblock.chain.types.BlockId;

/**
 * The serialized {@code SignedBlockHeader} inside a serialized {@code Block}, cut out without parsing
 * the transactions, and the one-time {@link #backfill} of stores written before {@link Column#HEADERS}
 * existed. Thread-safe (stateless).
 */
public final class StoredHeaders {
    private static final int BACKFILL_BATCH = 1_000;

    private StoredHeaders() {
    }

    /**
     * Writes the {@link Column#HEADERS} entry of every stored block that lacks one (a store written
     * before the column existed); returns how many were written. Skipped at once when the genesis has
     * its entry: the genesis is written last, so an interrupted backfill runs again at the next open.
     * Runs before the chain opens (single-threaded); reads each old block once.
     */
    public static int backfill(ChainStore store, BlockId genesis) {
        if (store.get(Column.HEADERS, Keys.id(genesis)).isPresent() || !store.containsBlock(genesis)) {
            return 0;
        }
        byte[] genesisKey = Keys.id(genesis);
        int[] written = {0};
        StoreBatch[] batch = {store.newBatch()};
        store.forEach(Column.BLOCK_META, (key, meta) -> {
            if (java.util.Arrays.equals(key, genesisKey) || store.get(Column.HEADERS, key).isPresent()) {
                return;
            }
            store.get(Column.BLOCKS, key).flatMap(StoredHeaders::cutFrom).ifPresent(header -> {
                batch[0].put(Column.HEADERS, key, header);
                if (++written[0] % BACKFILL_BATCH == 0) {
                    store.write(batch[0]);
                    batch[0] = store.newBatch();
                }
            });
        });
        store.get(Column.BLOCKS, genesisKey).flatMap(StoredHeaders::cutFrom).ifPresent(header -> {
            batch[0].put(Column.HEADERS, genesisKey, header);
            written[0]++;
        });
        store.write(batch[0]);
        return written[0];
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
