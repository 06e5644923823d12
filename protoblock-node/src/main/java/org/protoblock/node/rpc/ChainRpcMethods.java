package org.protoblock.node.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.protoblock.chain.codec.ChainCodec;
import org.protoblock.chain.service.Chain;
import org.protoblock.chain.service.ChainTip;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.ValidationException;

/**
 * The chain's JSON-RPC methods: blocks, headers, tips, mempool, transaction submission. Reads go
 * to the store on the RPC executor; chain-executor futures are continued on the RPC executor so
 * rendering never runs on the chain's single writer thread.
 */
public final class ChainRpcMethods {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Chain chain;
    private final Executor executor;
    private final ChainCodec codec;

    public ChainRpcMethods(Chain chain, Executor executor) {
        this.chain = chain;
        this.executor = executor;
        this.codec = new ChainCodec(chain.config().network().limits());
    }

    public Map<String, RpcMethod> methods() {
        return Map.of(
                "getblockcount", p -> {
                    p.expect(List.of());
                    return done(IntNode.valueOf(chain.head().num()));
                },
                "getbestblockhash", p -> {
                    p.expect(List.of());
                    return done(TextNode.valueOf(chain.head().id().toHex()));
                },
                "getblock", this::getBlock,
                "getblockheader", this::getBlockHeader,
                "getchaintips", this::getChainTips,
                "getrawmempool", this::getRawMempool,
                "getmempoolinfo", this::getMempoolInfo,
                "sendrawtransaction", this::sendRawTransaction);
    }

    /** getblock blockref [verbosity=1]: 0 → hex of the serialized block, 1 → JSON, 2 → JSON with each tx's hex. */
    private CompletableFuture<JsonNode> getBlock(RpcParams p) throws RpcException {
        p.expect(List.of("blockhash", "verbosity"));
        ChainBlock block = resolve(p.required(0, "blockhash"));
        int verbosity = p.optionalInt(1, "verbosity").orElse(1);
        if (verbosity < 0 || verbosity > 2) {
            throw RpcException.invalidParams("verbosity must be 0, 1 or 2");
        }
        if (verbosity == 0) {
            return done(TextNode.valueOf(BlockJson.hex(block.proto().toByteArray())));
        }
        return done(BlockJson.block(block, chain.head(), onMainChain(block), verbosity == 2));
    }

    /** getblockheader blockref [verbose=true]: false → hex of the serialized SignedBlockHeader. */
    private CompletableFuture<JsonNode> getBlockHeader(RpcParams p) throws RpcException {
        p.expect(List.of("blockhash", "verbose"));
        ChainBlock block = resolve(p.required(0, "blockhash"));
        if (!p.optionalBoolean(1, "verbose").orElse(true)) {
            return done(TextNode.valueOf(BlockJson.hex(block.proto().getSignedhead().toByteArray())));
        }
        return done(BlockJson.header(block, chain.head(), onMainChain(block)));
    }

    /** One tip per branch the block tree keeps: the active one and every valid fork. */
    private CompletableFuture<JsonNode> getChainTips(RpcParams p) throws RpcException {
        p.expect(List.of());
        return chain.chainTips().thenApply(list -> {
            ArrayNode tips = JSON.arrayNode();
            for (ChainTip tip : list) {
                tips.addObject().put("height", tip.num()).put("hash", tip.id().toHex()).put("branchlen", tip.branchLength())
                        .put("status", tip.active() ? "active" : "valid-fork");
            }
            return tips;
        });
    }

    private CompletableFuture<JsonNode> getRawMempool(RpcParams p) throws RpcException {
        p.expect(List.of());
        return chain.mempoolIds().thenApplyAsync(ids -> {
            ArrayNode out = JSON.arrayNode();
            ids.forEach(id -> out.add(id.toHex()));
            return out;
        }, executor);
    }

    private CompletableFuture<JsonNode> getMempoolInfo(RpcParams p) throws RpcException {
        p.expect(List.of());
        ObjectNode out = JSON.objectNode();
        out.put("loaded", true);
        out.put("size", chain.mempoolSize());
        out.put("bytes", chain.mempoolBytes());
        out.put("maxsize", chain.config().mempoolMaxCount());
        out.put("maxbytes", chain.config().mempoolMaxBytes());
        return done(out);
    }

    /** sendrawtransaction hex → txid; a broken chain rule is error -26 naming the {@code Rule}. */
    private CompletableFuture<JsonNode> sendRawTransaction(RpcParams p) throws RpcException {
        p.expect(List.of("hexstring"));
        String hex = p.string(0, "hexstring");
        int maxHex = 2 * chain.config().network().limits().maxTransactionBytes();
        if (hex.length() > maxHex || hex.length() % 2 != 0) {
            throw RpcException.invalidParams("hexstring must be even-length hex of at most " + maxHex + " characters");
        }
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw RpcException.invalidParams("hexstring is not hex");
        }
        ChainTransaction tx;
        try {
            tx = codec.parseTransaction(bytes);
        } catch (ValidationException e) {
            throw new RpcException(RpcException.VERIFY_REJECTED, e.getMessage(),
                    Optional.of(JSON.objectNode().put("rule", e.rule().name())));
        }
        return chain.submitTransaction(tx).thenApplyAsync(id -> (JsonNode) TextNode.valueOf(id.toHex()), executor);
    }

    private ChainBlock resolve(JsonNode ref) throws RpcException {
        Optional<ChainBlock> block;
        if (ref.isIntegralNumber()) {
            block = atHeight(ref.canConvertToInt() ? ref.asInt() : -1);
        } else if (ref.isTextual() && Hash256.isCanonicalHex(ref.asText())) {
            block = chain.block(BlockId.fromHex(ref.asText()));
        } else if (ref.isTextual() && ref.asText().matches("[0-9]{1,10}")) {
            block = atHeight(Long.parseLong(ref.asText()) > Integer.MAX_VALUE ? -1 : Integer.parseInt(ref.asText()));
        } else {
            throw RpcException.invalidParams("blockhash must be a block id (64 lowercase hex) or a height");
        }
        return block.orElseThrow(() -> new RpcException(RpcException.NOT_FOUND, "Block not found"));
    }

    private Optional<ChainBlock> atHeight(int num) throws RpcException {
        if (num < 0) {
            throw RpcException.invalidParams("height must be >= 0");
        }
        return chain.blockAt(num);
    }

    private boolean onMainChain(ChainBlock block) {
        return chain.mainChainId(block.num()).filter(block.id()::equals).isPresent();
    }

    private static CompletableFuture<JsonNode> done(JsonNode value) {
        return CompletableFuture.completedFuture(value);
    }
}
