package org.protoblock.p2p.sync;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.p2p.peer.Misbehaviour;
import org.protoblock.p2p.sync.BlockDownloadScheduler.Delivered;
import org.protoblock.p2p.wire.proto.Envelope;

/**
 * A GetBlocks answer decoded off the sync executor (bounded decoding, ids computed): the bodies,
 * or the fault that makes the whole answer unusable. Pure; runs on a worker thread.
 */
record ParsedBlocks(List<Delivered<ChainBlock>> delivered, boolean truncated, long bytes,
                    Optional<Fault> fault) {

    /** What the peer did wrong, for its score. */
    record Fault(Misbehaviour offence, String detail) {
    }

    static ParsedBlocks parse(ChainCodec codec, Envelope response, int asked) {
        if (response.getBodyCase() != Envelope.BodyCase.BLOCKS) {
            return fault(Misbehaviour.MISMATCHED_RESPONSE, "answered GetBlocks with " + response.getBodyCase());
        }
        List<ByteString> raw = response.getBlocks().getBlocksList();
        if (raw.size() > asked) {
            return fault(Misbehaviour.MISMATCHED_RESPONSE, raw.size() + " blocks for " + asked + " asked");
        }
        List<Delivered<ChainBlock>> delivered = new ArrayList<>(raw.size());
        long bytes = 0;
        for (ByteString b : raw) {
            try {
                ChainBlock block = codec.parseBlock(b.toByteArray());
                delivered.add(new Delivered<>(block.id(), block, b.size()));
                bytes += b.size();
            } catch (ValidationException e) {
                return fault(Misbehaviour.INVALID_BLOCK, e.getMessage());
            }
        }
        return new ParsedBlocks(delivered, response.getBlocks().getTruncated(), bytes, Optional.empty());
    }

    private static ParsedBlocks fault(Misbehaviour offence, String detail) {
        return new ParsedBlocks(List.of(), false, 0, Optional.of(new Fault(offence, detail)));
    }
}
