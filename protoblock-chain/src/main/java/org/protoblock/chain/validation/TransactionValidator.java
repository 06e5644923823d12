package org.protoblock.chain.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.protoblock.chain.crypto.PublicKey;
import org.protoblock.chain.crypto.Secp256k1Verifier;
import org.protoblock.chain.crypto.SignatureVerifier;
import org.protoblock.chain.network.NetworkParams;
import org.protoblock.chain.proto.BlockHeader;
import org.protoblock.chain.proto.FantasybitProto;
import org.protoblock.chain.proto.NameTrans;
import org.protoblock.chain.proto.SignedTransaction;
import org.protoblock.chain.proto.TransType;
import org.protoblock.chain.proto.Transaction;
import org.protoblock.chain.store.NameEntry;
import org.protoblock.chain.store.TxLocation;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainLimits;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.ValidationException;

/**
 * The rules a transaction must keep against the chain state at a block time.
 *
 * <p>Rules, in the order they are checked (the first broken one is reported):
 * <ol>
 *   <li>trans present ({@link Rule#MISSING_FIELD}); the id field is exactly hex(sha256(serialized
 *       Transaction)) ({@link Rule#BAD_TX_ID}); version in 1..4 ({@link Rule#BAD_TX_VERSION}); type
 *       set to a known value ({@link Rule#MISSING_FIELD}; Rationale: proto2 would read an unset type
 *       as NAME); fantasy_name not empty ({@link Rule#EMPTY_FANTASY_NAME}).</li>
 *   <li>version ≥ 4 and not NAME: nonce (ns) at most nonceMaxAge older and nonceMaxAhead newer than
 *       the block time ({@link Rule#NONCE_TOO_OLD}, {@link Rule#NONCE_TOO_NEW}); the id not included
 *       within replayWindow of the block time ({@link Rule#REPLAYED}). Older versions and NAME have
 *       no replay protection beyond the name registry, as in production.</li>
 *   <li>NAME: NameTrans present ({@link Rule#MISSING_PAYLOAD}); its fantasy_name equals the signed
 *       fantasy_name exactly, case included ({@link Rule#NAME_MISMATCH}; Rationale: the signed name is
 *       not covered by the signature, so it must not differ from the signed payload at all); its
 *       public_key is a valid key ({@link Rule#BAD_PUBLIC_KEY}); the case-folded name is free
 *       ({@link Rule#NAME_TAKEN}); the key is free ({@link Rule#KEY_TAKEN}); the signature verifies
 *       under the NameTrans key or the oracle key ({@link Rule#BAD_TX_SIGNATURE}).</li>
 *   <li>STAMPED: the signature verifies under the oracle key ({@link Rule#NOT_ORACLE}); its
 *       fantasy_name need not be registered.</li>
 *   <li>other types: fantasy_name (case-folded) is registered ({@link Rule#UNKNOWN_NAME}) and the
 *       signature verifies under its key ({@link Rule#BAD_TX_SIGNATURE}).</li>
 * </ol>
 * Signature text errors are {@link Rule#BAD_SIGNATURE_ENCODING} / {@link Rule#HIGH_S_SIGNATURE}.
 *
 * <p>Blocks ({@link #validateBlock}): transactions are checked in order, each against the state plus
 * the names and ids of the block's earlier transactions. In a DATA block the first transaction, if
 * it is DATA, is the producer's and trusted: only its id, version, type, fantasy_name and its
 * signature under the block's generator_pk are checked (not the name registry: mainnet's genesis
 * signs it as a name registered only by the next transaction; not the nonce window).
 *
 * <p>Policy: the production node skipped an invalid transaction inside a valid block; this node
 * rejects the whole block instead (Rationale: a producer this node runs never includes invalid
 * transactions, and a block we relay or apply must be entirely valid, so a peer cannot make us
 * carry transactions nobody validated). Immutable and thread-safe.
 */
public final class TransactionValidator {
    public static final int MIN_VERSION = 1;
    public static final int MAX_VERSION = 4;
    /** The version from which the nonce and replay rules apply. */
    public static final int NONCE_VERSION = 4;
    private static final long NANOS = 1_000_000_000L;

    private final NetworkParams params;
    private final SignatureVerifier verifier;

    public TransactionValidator(NetworkParams params, SignatureVerifier verifier) {
        this.params = Objects.requireNonNull(params, "params");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    public TransactionValidator(NetworkParams params) {
        this(params, Secp256k1Verifier.INSTANCE);
    }

    public TransactionValidator withVerifier(SignatureVerifier other) {
        return new TransactionValidator(params, other);
    }

    /**
     * Checks one transaction as if included in a block at {@code blockTimeSeconds} on top of
     * {@code state} (mempool admission passes the expected next block time, e.g. now).
     */
    public void validate(ChainTransaction tx, ChainState state, long blockTimeSeconds) throws ValidationException {
        Transaction trans = checkCommon(tx);
        SignedTransaction signed = tx.proto();
        if (trans.getVersion() >= NONCE_VERSION && trans.getType() != TransType.NAME) {
            checkNonce(trans.getNonce(), blockTimeSeconds);
            checkReplay(tx, state, blockTimeSeconds);
        }
        switch (trans.getType()) {
            case NAME -> checkName(tx, trans, state);
            case STAMPED -> {
                if (!verify(params.oracleKey(), tx)) {
                    throw new ValidationException(Rule.NOT_ORACLE, "STAMPED tx " + tx.id() + " not signed by " + params.oracleKey());
                }
            }
            default -> {
                NameEntry entry = state.name(NameEntry.fold(signed.getFantasyName()))
                        .orElseThrow(() -> new ValidationException(Rule.UNKNOWN_NAME, BlockValidator.abbreviate(signed.getFantasyName())));
                PublicKey key = PublicKey.tryFromBase58(entry.publicKey())
                        .orElseThrow(() -> new ValidationException(Rule.BAD_PUBLIC_KEY, "registered key of " + entry.name()));
                if (!verify(key, tx)) {
                    throw new ValidationException(Rule.BAD_TX_SIGNATURE, "not signed by " + entry.name() + "'s key " + key);
                }
            }
        }
    }

    /**
     * Checks every transaction of a block (whose block rules passed) in order, against
     * {@code state} plus the block's earlier transactions.
     *
     * @return the names the block registers, in order (its effect on the name registry)
     * @throws ValidationException the first broken rule, its detail naming the transaction index and id
     */
    public List<NameEntry> validateBlock(ChainBlock block, ChainState state) throws ValidationException {
        ChainStateOverlay overlay = new ChainStateOverlay(state);
        List<NameEntry> names = new ArrayList<>();
        List<ChainTransaction> txs = block.transactions();
        for (int i = 0; i < txs.size(); i++) {
            Optional<NameEntry> name = validateInBlock(block, i, overlay);
            if (name.isPresent()) {
                overlay.addName(name.get());
                names.add(name.get());
            }
            overlay.addTx(txs.get(i).id(), new TxLocation(block.id(), block.num(), i, block.header().getTimestamp()));
        }
        return List.copyOf(names);
    }

    /**
     * Checks transaction {@code index} of {@code block} against {@code state}, which must already
     * hold the effects of the block's earlier transactions (for callers that apply as they go).
     * Applies the trusted-producer-DATA rule for index 0.
     *
     * @return the name it registers, if it is a NAME transaction
     * @throws ValidationException detail naming the transaction index and id
     */
    public Optional<NameEntry> validateInBlock(ChainBlock block, int index, ChainState state) throws ValidationException {
        ChainTransaction tx = block.transactions().get(index);
        try {
            if (index == 0 && isProducerData(block, tx)) {
                checkProducerData(block, tx);
            } else {
                validate(tx, state, block.timestamp());
            }
        } catch (ValidationException e) {
            throw new ValidationException(e.rule(), "tx #" + index + " " + tx.id() + (e.detail().isEmpty() ? "" : ": " + e.detail()));
        }
        return registration(tx, block.num());
    }

    /**
     * The registry entry a valid NAME transaction adds (the name as signed, its key as base58);
     * empty for other types. Call only on transactions that passed validation.
     */
    public static Optional<NameEntry> registration(ChainTransaction tx, int blockNum) {
        Transaction trans = tx.proto().getTrans();
        if (trans.getType() != TransType.NAME || !trans.hasExtension(FantasybitProto.nameTran)) {
            return Optional.empty();
        }
        NameTrans nameTrans = trans.getExtension(FantasybitProto.nameTran);
        return Optional.of(new NameEntry(nameTrans.getFantasyName(), nameTrans.getPublicKey().toStringUtf8(), tx.id(), blockNum));
    }

    private static boolean isProducerData(ChainBlock block, ChainTransaction tx) {
        return block.header().getBlocktype() == BlockHeader.Type.DATA && tx.proto().getTrans().getType() == TransType.DATA;
    }

    private void checkProducerData(ChainBlock block, ChainTransaction tx) throws ValidationException {
        checkCommon(tx);
        String generator = block.header().getGeneratorPk().toStringUtf8();
        PublicKey producer = PublicKey.tryFromBase58(generator)
                .orElseThrow(() -> new ValidationException(Rule.BAD_GENERATOR, BlockValidator.abbreviate(generator)));
        if (!verify(producer, tx)) {
            throw new ValidationException(Rule.BAD_TX_SIGNATURE, "producer's DATA not signed by generator " + producer);
        }
    }

    /**
     * The rules that need no chain state: trans present, id field = computed id, version, type,
     * fantasy_name. Block validation runs these before storing a block, because the id field,
     * signature and fantasy_name of a SignedTransaction are not covered by the block id: a relay
     * could alter them, and such a copy must be refused before it is mistaken for the block.
     */
    public static Transaction checkStateless(ChainTransaction tx) throws ValidationException {
        return checkCommon(tx);
    }

    private static Transaction checkCommon(ChainTransaction tx) throws ValidationException {
        SignedTransaction signed = tx.proto();
        if (!signed.hasTrans()) {
            throw new ValidationException(Rule.MISSING_FIELD, "trans");
        }
        String idField = signed.getId().toStringUtf8();
        if (!idField.equals(tx.id().toHex())) {
            throw new ValidationException(Rule.BAD_TX_ID, "id field " + BlockValidator.abbreviate(idField) + ", computed " + tx.id());
        }
        Transaction trans = signed.getTrans();
        if (trans.getVersion() < MIN_VERSION || trans.getVersion() > MAX_VERSION) {
            throw new ValidationException(Rule.BAD_TX_VERSION, "version " + trans.getVersion());
        }
        if (!trans.hasType()) {
            throw new ValidationException(Rule.MISSING_FIELD, "trans.type (absent or unknown value)");
        }
        if (signed.getFantasyName().isEmpty()) {
            throw new ValidationException(Rule.EMPTY_FANTASY_NAME, "");
        }
        return trans;
    }

    private void checkNonce(long nonce, long blockTimeSeconds) throws ValidationException {
        ChainLimits limits = params.limits();
        long blockNanos = blockTimeSeconds * NANOS;
        // An unsigned nonce past Long.MAX_VALUE is centuries ahead: too new.
        if (nonce < 0 || nonce - blockNanos > limits.nonceMaxAheadSeconds() * NANOS) {
            throw new ValidationException(Rule.NONCE_TOO_NEW, "nonce " + Long.toUnsignedString(nonce) + " ns, block time " + blockTimeSeconds + " s");
        }
        if (blockNanos - nonce > limits.nonceMaxAgeSeconds() * NANOS) {
            throw new ValidationException(Rule.NONCE_TOO_OLD, "nonce " + nonce + " ns, block time " + blockTimeSeconds + " s");
        }
    }

    private void checkReplay(ChainTransaction tx, ChainState state, long blockTimeSeconds) throws ValidationException {
        Optional<TxLocation> seen = state.txLocation(tx.id());
        if (seen.isPresent()
                && blockTimeSeconds - Integer.toUnsignedLong(seen.get().blockTimestamp()) <= params.limits().replayWindowSeconds()) {
            throw new ValidationException(Rule.REPLAYED, "included in block " + seen.get().num() + " " + seen.get().blockId().shortHex());
        }
    }

    private void checkName(ChainTransaction tx, Transaction trans, ChainState state) throws ValidationException {
        if (!trans.hasExtension(FantasybitProto.nameTran)) {
            throw new ValidationException(Rule.MISSING_PAYLOAD, "NAME without NameTrans");
        }
        NameTrans nameTrans = trans.getExtension(FantasybitProto.nameTran);
        String name = tx.proto().getFantasyName();
        if (!nameTrans.getFantasyName().equals(name)) {
            throw new ValidationException(Rule.NAME_MISMATCH, BlockValidator.abbreviate(nameTrans.getFantasyName())
                    + " vs " + BlockValidator.abbreviate(name));
        }
        String keyText = nameTrans.getPublicKey().toStringUtf8();
        PublicKey key = PublicKey.tryFromBase58(keyText)
                .orElseThrow(() -> new ValidationException(Rule.BAD_PUBLIC_KEY, BlockValidator.abbreviate(keyText)));
        Optional<NameEntry> existing = state.name(NameEntry.fold(name));
        if (existing.isPresent()) {
            throw new ValidationException(Rule.NAME_TAKEN, BlockValidator.abbreviate(name) + " registered as " + existing.get().name());
        }
        Optional<String> owner = state.nameOfKey(key.toBase58());
        if (owner.isPresent()) {
            throw new ValidationException(Rule.KEY_TAKEN, key + " belongs to " + owner.get());
        }
        if (!verify(key, tx) && !verify(params.oracleKey(), tx)) {
            throw new ValidationException(Rule.BAD_TX_SIGNATURE, "neither the NameTrans key nor the oracle key");
        }
    }

    private boolean verify(PublicKey key, ChainTransaction tx) throws ValidationException {
        return verifier.verify(key, tx.id().hash(), tx.proto().getSig().toStringUtf8());
    }
}
