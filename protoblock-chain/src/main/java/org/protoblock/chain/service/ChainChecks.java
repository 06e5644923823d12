package org.protoblock.chain.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.protoblock.chain.crypto.Secp256k1Verifier;
import org.protoblock.chain.crypto.SignatureVerifier;
import org.protoblock.chain.network.NetworkParams;
import org.protoblock.chain.store.BlockMeta;
import org.protoblock.chain.store.NameEntry;
import org.protoblock.chain.tree.BlockChecks;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.ValidationException;
import org.protoblock.chain.validation.BlockValidator;
import org.protoblock.chain.validation.ChainState;
import org.protoblock.chain.validation.StoreChainState;
import org.protoblock.chain.validation.TransactionValidator;
import org.protoblock.chain.verify.ParallelSignatureVerifier;
import org.protoblock.chain.verify.SignatureCache;
import org.protoblock.chain.verify.SignatureCheck;
import org.protoblock.chain.verify.SignatureChecks;

/**
 * The validators as the chain runs them: every signature goes through one bounded
 * {@link SignatureCache}, so a transaction verified on entering the mempool, or a block batch
 * verified on all cores by {@link #preverify}, is not verified again when it connects; nor is a
 * header that sync verified through {@link #signatureVerifier()} before its body arrived.
 * Thread-safe: validators are stateless and the cache is synchronized.
 */
public final class ChainChecks implements BlockChecks, AutoCloseable {
    /** Enough for a few sync batches of large blocks plus a full mempool. */
    private static final int SIGNATURE_CACHE_ENTRIES = 200_000;
    /**
     * Rules whose verdict on a transaction the mempool's pending state cannot change: broken
     * against the main-chain state, they are broken for the mempool too. (A name's key comes from
     * the main chain, where a name never changes key short of a reorg.) The rest (unknown name,
     * taken name, replay, mempool rules) are left to the chain executor, which sees the mempool.
     */
    private static final Set<Rule> FINAL_RULES = EnumSet.of(Rule.MALFORMED_ENCODING, Rule.OVERSIZED,
            Rule.MISSING_FIELD, Rule.BAD_TX_ID, Rule.BAD_TX_VERSION, Rule.EMPTY_FANTASY_NAME,
            Rule.BAD_SIGNATURE_ENCODING, Rule.HIGH_S_SIGNATURE, Rule.BAD_PUBLIC_KEY, Rule.BAD_TX_SIGNATURE,
            Rule.NAME_MISMATCH, Rule.MISSING_PAYLOAD, Rule.NOT_ORACLE, Rule.NONCE_TOO_OLD);

    private final NetworkParams network;
    private final SignatureCache signatures;
    private final BlockValidator blocks;
    private final TransactionValidator transactions;
    private final ParallelSignatureVerifier parallel;
    private final ChainState mainState;

    public ChainChecks(NetworkParams network, Clock clock, StoreChainState mainState) {
        this.network = network;
        this.signatures = new SignatureCache(Secp256k1Verifier.INSTANCE, SIGNATURE_CACHE_ENTRIES);
        this.blocks = new BlockValidator(network, clock, signatures);
        this.transactions = new TransactionValidator(network, signatures);
        this.parallel = ParallelSignatureVerifier.perCore();
        this.mainState = mainState;
    }

    @Override
    public void checkBlock(ChainBlock block, BlockMeta parent) throws ValidationException {
        blocks.validate(block, parent);
    }

    @Override
    public void checkGenesis(ChainBlock block) throws ValidationException {
        blocks.validateGenesis(block);
    }

    @Override
    public Optional<NameEntry> checkTransaction(ChainBlock block, int index, ChainState state) throws ValidationException {
        return transactions.validateInBlock(block, index, state);
    }

    /** A mempool candidate, validated as if included in a block at {@code timeSeconds}. */
    Optional<NameEntry> checkPending(ChainTransaction tx, ChainState state, long timeSeconds) throws ValidationException {
        transactions.validate(tx, state, timeSeconds);
        return TransactionValidator.registration(tx, -1);
    }

    /**
     * A transaction's checks against the main-chain state, before it takes a chain executor slot:
     * its signature is verified here (and cached, so admission finds it done) and a broken
     * {@link #FINAL_RULES final rule} refuses it at once. Other broken rules are not reported:
     * the mempool may decide otherwise. Runs off the chain executor.
     */
    void precheckTransaction(ChainTransaction tx, long timeSeconds) throws ValidationException {
        try {
            transactions.validate(tx, mainState, timeSeconds);
        } catch (ValidationException e) {
            if (FINAL_RULES.contains(e.rule())) {
                throw e;
            }
        }
    }

    /**
     * Verifies the signatures of a batch of blocks on all cores and caches the valid ones. Keys
     * are guessed from the current main-chain state; a wrong guess only costs a later check.
     * Must not run on the chain executor (it waits for the worker pool).
     */
    void preverify(List<ChainBlock> batch) {
        List<SignatureCheck> checks = new ArrayList<>(SignatureChecks.forBlocks(batch, network, mainState));
        checks.removeIf(signatures::isKnown); // e.g. headers sync verified before the bodies came
        try {
            ParallelSignatureVerifier.BatchResult result = parallel.verify(checks);
            List<SignatureCheck> ok = new ArrayList<>(checks.size());
            for (int i = 0; i < checks.size(); i++) {
                if (result.isValid(i)) {
                    ok.add(checks.get(i));
                }
            }
            signatures.rememberAll(ok);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The chain's cached verifier: a signature found valid through it (a block header checked by
     * headers-first sync) is not verified again when its block connects.
     */
    SignatureVerifier signatureVerifier() {
        return signatures;
    }

    @Override
    public void close() {
        parallel.close();
    }
}
