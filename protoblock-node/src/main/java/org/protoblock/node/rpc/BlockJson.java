package org.protoblock.node.rpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import org.protoblock.chain.proto.BlockHeader;
import org.protoblock.chain.proto.FantasybitProto;
import org.protoblock.chain.proto.NameTrans;
import org.protoblock.chain.proto.Transaction;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.ChainTransaction;

/** Blocks, headers and transactions as JSON, with Bitcoin Core's field names where one fits. */
public final class BlockJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.of();

    private BlockJson() {
    }

    /**
     * @param onMainChain whether {@code block} is on the main chain (confirmations are -1 otherwise,
     *                    as in Bitcoin Core)
     */
    public static ObjectNode header(ChainBlock block, ChainHead head, boolean onMainChain) {
        BlockHeader h = block.header();
        ObjectNode out = JSON.objectNode();
        out.put("hash", block.id().toHex());
        out.put("confirmations", onMainChain ? head.num() - block.num() + 1 : -1);
        out.put("height", block.num());
        out.put("version", h.getVersion());
        out.put("previousblockhash", h.getPrevId().toStringUtf8());
        out.put("merkleroot", h.getTransactionId().toStringUtf8());
        out.put("time", block.timestamp());
        out.put("generator", h.getGeneratorPk().toStringUtf8());
        out.put("blocktype", h.getBlocktype().name());
        out.put("nTx", block.transactions().size());
        return out;
    }

    /** The header fields plus size and the transactions ({@code withHex}: each one's serialized hex too). */
    public static ObjectNode block(ChainBlock block, ChainHead head, boolean onMainChain, boolean withHex) {
        ObjectNode out = header(block, head, onMainChain);
        out.put("size", block.serializedSize());
        ArrayNode txs = out.putArray("tx");
        block.transactions().forEach(tx -> txs.add(transaction(tx, withHex)));
        return out;
    }

    public static ObjectNode transaction(ChainTransaction tx, boolean withHex) {
        Transaction t = tx.proto().getTrans();
        ObjectNode out = JSON.objectNode();
        out.put("txid", tx.id().toHex());
        out.put("type", t.getType().name());
        out.put("version", t.getVersion());
        out.put("name", tx.fantasyName());
        if (t.hasNonce()) {
            out.put("nonce", Long.toUnsignedString(t.getNonce()));
        }
        out.put("size", tx.serializedSize());
        if (t.hasExtension(FantasybitProto.nameTran)) {
            NameTrans name = t.getExtension(FantasybitProto.nameTran);
            out.put("registers", name.getFantasyName());
            out.put("publickey", name.getPublicKey().toStringUtf8());
        }
        if (withHex) {
            out.put("hex", HEX.formatHex(tx.proto().toByteArray()));
        }
        return out;
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
