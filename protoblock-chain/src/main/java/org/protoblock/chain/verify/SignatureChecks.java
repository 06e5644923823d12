package org.protoblock.chain.verify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.protoblock.chain.crypto.PublicKey;
import org.protoblock.chain.network.NetworkParams;
import org.protoblock.chain.proto.BlockHeader;
import org.protoblock.chain.proto.FantasybitProto;
import org.protoblock.chain.proto.TransType;
import org.protoblock.chain.proto.Transaction;
import org.protoblock.chain.store.NameEntry;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.validation.ChainState;

/**
 * Plans the signature checks of blocks for {@link ParallelSignatureVerifier}, guessing each
 * transaction's key from {@code state} as it is now (names registered by blocks of the same batch
 * are found in NameTrans payloads). A wrong or missing guess only means the stateful pass verifies
 * that signature itself.
 */
public final class SignatureChecks {
    private SignatureChecks() {
    }

    public static List<SignatureCheck> forBlocks(List<ChainBlock> blocks, NetworkParams params, ChainState state) {
        List<SignatureCheck> checks = new ArrayList<>();
        Map<String, String> batchNames = new HashMap<>();
        for (ChainBlock block : blocks) {
            for (ChainTransaction tx : block.transactions()) {
                Transaction trans = tx.proto().getTrans();
                if (trans.getType() == TransType.NAME && trans.hasExtension(FantasybitProto.nameTran)) {
                    var nameTrans = trans.getExtension(FantasybitProto.nameTran);
                    batchNames.putIfAbsent(NameEntry.fold(nameTrans.getFantasyName()), nameTrans.getPublicKey().toStringUtf8());
                }
            }
        }
        for (ChainBlock block : blocks) {
            addBlock(checks, block, params, state, batchNames);
        }
        return checks;
    }

    public static List<SignatureCheck> forBlock(ChainBlock block, NetworkParams params, ChainState state) {
        return forBlocks(List.of(block), params, state);
    }

    private static void addBlock(List<SignatureCheck> checks, ChainBlock block, NetworkParams params, ChainState state,
                                 Map<String, String> batchNames) {
        BlockHeader header = block.header();
        Optional<PublicKey> generator = PublicKey.tryFromBase58(header.getGeneratorPk().toStringUtf8());
        generator.ifPresent(key -> checks.add(new SignatureCheck(key, block.id().hash(), block.proto().getSignedhead().getSig())));
        for (int i = 0; i < block.transactions().size(); i++) {
            ChainTransaction tx = block.transactions().get(i);
            Transaction trans = tx.proto().getTrans();
            Optional<PublicKey> key;
            if (i == 0 && header.getBlocktype() == BlockHeader.Type.DATA && trans.getType() == TransType.DATA) {
                key = generator;
            } else if (trans.getType() == TransType.STAMPED) {
                key = Optional.of(params.oracleKey());
            } else if (trans.getType() == TransType.NAME && trans.hasExtension(FantasybitProto.nameTran)) {
                key = PublicKey.tryFromBase58(trans.getExtension(FantasybitProto.nameTran).getPublicKey().toStringUtf8());
            } else {
                String folded = NameEntry.fold(tx.fantasyName());
                key = state.name(folded).map(NameEntry::publicKey)
                        .or(() -> Optional.ofNullable(batchNames.get(folded)))
                        .flatMap(PublicKey::tryFromBase58);
            }
            key.ifPresent(k -> checks.add(new SignatureCheck(k, tx.id().hash(), tx.proto().getSig().toStringUtf8())));
        }
    }
}
