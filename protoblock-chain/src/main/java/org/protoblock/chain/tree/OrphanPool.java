package org.protoblock.chain.tree;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;

/**
 * Blocks whose parent is not known yet, held until the parent arrives.
 *
 * <p>Bounded by count and by bytes; when full, the oldest orphans are dropped first. Rationale:
 * orphans cost nothing to send, so a peer must not be able to grow this without limit; the
 * oldest are the least likely to be completed (sync fetches ancestors promptly). Orphans are not
 * validated beyond decoding and must be validated when they connect. Not thread-safe: owned by
 * the chain executor.
 */
final class OrphanPool {
    private final int maxBlocks;
    private final long maxBytes;
    private final LinkedHashMap<BlockId, ChainBlock> byId = new LinkedHashMap<>();
    private final Map<BlockId, List<BlockId>> byParent = new HashMap<>();
    private long bytes;

    OrphanPool(int maxBlocks, long maxBytes) {
        this.maxBlocks = maxBlocks;
        this.maxBytes = maxBytes;
    }

    boolean contains(BlockId id) {
        return byId.containsKey(id);
    }

    int size() {
        return byId.size();
    }

    long bytes() {
        return bytes;
    }

    /** Adds an orphan whose parent id is known (well formed); returns false if already held or too big. */
    boolean add(ChainBlock block) {
        if (byId.containsKey(block.id()) || block.parentId().isEmpty() || block.serializedSize() > maxBytes) {
            return false;
        }
        while (byId.size() >= maxBlocks || bytes + block.serializedSize() > maxBytes) {
            remove(byId.keySet().iterator().next());
        }
        byId.put(block.id(), block);
        byParent.computeIfAbsent(block.parentId().get(), k -> new ArrayList<>(1)).add(block.id());
        bytes += block.serializedSize();
        return true;
    }

    /** Removes and returns the orphans whose parent is {@code parentId}. */
    List<ChainBlock> takeChildrenOf(BlockId parentId) {
        List<BlockId> ids = byParent.remove(parentId);
        if (ids == null) {
            return List.of();
        }
        List<ChainBlock> out = new ArrayList<>(ids.size());
        for (BlockId id : ids) {
            ChainBlock block = byId.remove(id);
            if (block != null) {
                bytes -= block.serializedSize();
                out.add(block);
            }
        }
        return out;
    }

    /** The root ids the orphans are waiting for (parents that are not themselves orphans). */
    List<BlockId> missingParents() {
        List<BlockId> out = new ArrayList<>();
        for (BlockId parent : byParent.keySet()) {
            if (!byId.containsKey(parent)) {
                out.add(parent);
            }
        }
        return out;
    }

    private void remove(BlockId id) {
        ChainBlock block = byId.remove(id);
        if (block == null) {
            return;
        }
        bytes -= block.serializedSize();
        List<BlockId> siblings = byParent.get(block.parentId().orElseThrow());
        if (siblings != null) {
            siblings.remove(id);
            if (siblings.isEmpty()) {
                byParent.remove(block.parentId().get());
            }
        }
    }
}
