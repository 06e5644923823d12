package org.protoblock.chain.tree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.protoblock.chain.store.BlockMeta;
import org.protoblock.chain.types.BlockId;

/**
 * In-memory index of every stored block (on any branch) and the fork choice over them.
 *
 * <p>Rules kept:
 * <ul>
 *   <li>Every indexed block except the genesis has its parent indexed. Rationale: the tree only
 *       keeps blocks whose ancestry is known; orphans wait in the {@link OrphanPool}.</li>
 *   <li>A block that fails full validation leaves the index with its whole subtree
 *       ({@link #removeSubtree}), rather than staying as an "invalid" mark. Rationale: the block id
 *       covers the header and transaction ids only, not the transactions' signatures or fantasy
 *       names, so a relay can make an invalid copy of a valid block with the same id; marking
 *       the id would let it censor the real block.</li>
 *   <li>{@link #bestTip()} is the valid tip with the greatest num; ties go to the block that
 *       arrived first (smallest arrival sequence). Rationale: Protoblock has one producer per
 *       network; height is the only weight, and first-seen keeps nodes from flapping.</li>
 * </ul>
 *
 * <p>Cost: one {@link BlockMeta} (about 150 bytes with map overhead) per stored block; adding a
 * block is O(log tips); removing a subtree is O(subtree). Not thread-safe: owned by the chain
 * executor.
 */
final class BlockIndex {
    private static final Comparator<BlockMeta> BEST_FIRST =
            Comparator.comparingInt(BlockMeta::num).reversed()
                    .thenComparingLong(BlockMeta::arrivalSeq)
                    .thenComparing(BlockMeta::id);

    private final Map<BlockId, BlockMeta> metas = new HashMap<>();
    private final Map<BlockId, List<BlockId>> children = new HashMap<>();
    private final TreeSet<BlockMeta> tips = new TreeSet<>(BEST_FIRST);

    /** Adds a block whose parent is indexed (or the genesis). Returns false if already present. */
    boolean add(BlockMeta meta, boolean isGenesis) {
        if (metas.containsKey(meta.id())) {
            return false;
        }
        if (!isGenesis && !metas.containsKey(meta.parentId())) {
            throw new IllegalStateException("parent of " + meta.id().shortHex() + " is not indexed");
        }
        metas.put(meta.id(), meta);
        if (!isGenesis) {
            children.computeIfAbsent(meta.parentId(), k -> new ArrayList<>(1)).add(meta.id());
            tips.remove(metas.get(meta.parentId()));
        }
        tips.add(meta);
        return true;
    }

    Optional<BlockMeta> get(BlockId id) {
        return Optional.ofNullable(metas.get(id));
    }

    boolean contains(BlockId id) {
        return metas.containsKey(id);
    }

    int size() {
        return metas.size();
    }

    /**
     * Removes the block and all its descendants; its parent becomes a tip again if it has no other
     * child. Returns the removed blocks, the given one first, parents before children.
     */
    List<BlockMeta> removeSubtree(BlockId id) {
        BlockMeta root = metas.get(id);
        if (root == null) {
            return List.of();
        }
        List<BlockMeta> removed = new ArrayList<>();
        Deque<BlockId> todo = new ArrayDeque<>();
        todo.add(id);
        while (!todo.isEmpty()) {
            BlockId next = todo.poll();
            BlockMeta meta = metas.remove(next);
            removed.add(meta);
            tips.remove(meta);
            List<BlockId> kids = children.remove(next);
            if (kids != null) {
                todo.addAll(kids);
            }
        }
        List<BlockId> siblings = children.get(root.parentId());
        if (siblings != null) {
            siblings.remove(id);
            if (siblings.isEmpty()) {
                children.remove(root.parentId());
            }
        }
        BlockMeta parent = metas.get(root.parentId());
        if (parent != null && !children.containsKey(parent.id())) {
            tips.add(parent);
        }
        return removed;
    }

    Optional<BlockMeta> bestTip() {
        return tips.isEmpty() ? Optional.empty() : Optional.of(tips.first());
    }

    List<BlockMeta> tips() {
        return List.copyOf(tips);
    }

    /** The ancestor of {@code id} at height {@code num} (the block itself when equal). */
    Optional<BlockMeta> ancestorAt(BlockId id, int num) {
        BlockMeta cursor = metas.get(id);
        while (cursor != null && cursor.num() > num) {
            cursor = metas.get(cursor.parentId());
        }
        return cursor != null && cursor.num() == num ? Optional.of(cursor) : Optional.empty();
    }

    /** The most recent block that both {@code a} and {@code b} descend from (or are). */
    Optional<BlockMeta> forkPoint(BlockId a, BlockId b) {
        BlockMeta x = metas.get(a);
        BlockMeta y = metas.get(b);
        if (x == null || y == null) {
            return Optional.empty();
        }
        while (x.num() > y.num()) {
            x = metas.get(x.parentId());
        }
        while (y.num() > x.num()) {
            y = metas.get(y.parentId());
        }
        while (x != null && y != null && !x.id().equals(y.id())) {
            x = metas.get(x.parentId());
            y = metas.get(y.parentId());
        }
        return x != null && y != null ? Optional.of(x) : Optional.empty();
    }

    /** Blocks from just after {@code ancestor} up to and including {@code tip}, oldest first. */
    List<BlockMeta> branch(BlockId ancestor, BlockId tip) {
        List<BlockMeta> path = new ArrayList<>();
        BlockMeta cursor = metas.get(tip);
        while (cursor != null && !cursor.id().equals(ancestor)) {
            path.add(cursor);
            cursor = metas.get(cursor.parentId());
        }
        if (cursor == null) {
            throw new IllegalArgumentException(ancestor.shortHex() + " is not an ancestor of " + tip.shortHex());
        }
        java.util.Collections.reverse(path);
        return path;
    }

    /** Every indexed block (a view, for consistency checks). */
    java.util.Collection<BlockMeta> all() {
        return java.util.Collections.unmodifiableCollection(metas.values());
    }

    /** Consistency check for tests: the rules in the class comment hold. */
    List<String> sanityCheck(BlockId genesis) {
        List<String> problems = new ArrayList<>();
        for (BlockMeta meta : metas.values()) {
            if (!meta.id().equals(genesis) && !metas.containsKey(meta.parentId())) {
                problems.add("parent missing for " + meta.id().shortHex());
            }
            boolean shouldBeTip = children.getOrDefault(meta.id(), List.of()).isEmpty();
            if (shouldBeTip != tips.contains(meta)) {
                problems.add("tip set wrong for " + meta.id().shortHex() + " (should be tip: " + shouldBeTip + ")");
            }
            for (BlockId child : children.getOrDefault(meta.id(), List.of())) {
                if (!metas.containsKey(child)) {
                    problems.add("child " + child.shortHex() + " of " + meta.id().shortHex() + " not indexed");
                }
            }
        }
        return problems;
    }
}
