package org.protoblock.chain.crypto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.protoblock.chain.types.Sha256;
import org.protoblock.chain.types.TxId;

/**
 * The chain's transaction root (BlockHeader.transaction_id).
 *
 * <p>Rules: leaves are the transaction ids as 64-char lowercase hex; a parent is
 * hex(sha256(ASCII(left) + ASCII(right))); nodes pair left to right; an odd last node moves up a
 * level unchanged (it is not paired with itself, unlike Bitcoin); one transaction is its own root;
 * no transactions give the empty string. Cost: n − 1 hashes.
 */
public final class MerkleRoot {
    private MerkleRoot() {
    }

    public static String ofIds(List<TxId> ids) {
        return of(ids.stream().map(TxId::toHex).toList());
    }

    /** Root over hex leaves. */
    public static String of(List<String> hexLeaves) {
        if (hexLeaves.isEmpty()) {
            return "";
        }
        List<String> level = hexLeaves;
        while (level.size() > 1) {
            List<String> next = new ArrayList<>((level.size() + 1) / 2);
            for (int i = 0; i + 1 < level.size(); i += 2) {
                next.add(Sha256.hashAscii(level.get(i) + level.get(i + 1)).toHex());
            }
            if (level.size() % 2 == 1) {
                next.add(level.get(level.size() - 1));
            }
            level = next;
        }
        return level.get(0);
    }

    /** The root as the header carries it (ASCII bytes). */
    public static byte[] asciiOf(List<TxId> ids) {
        return ofIds(ids).getBytes(StandardCharsets.US_ASCII);
    }
}
