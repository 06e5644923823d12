package org.protoblock.chain.validation;

import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.protoblock.chain.crypto.MerkleRoot;
import org.protoblock.chain.crypto.PublicKey;
import org.protoblock.chain.crypto.Secp256k1Verifier;
import org.protoblock.chain.crypto.SignatureVerifier;
import org.protoblock.chain.network.NetworkParams;
import org.protoblock.chain.proto.BlockHeader;
import org.protoblock.chain.proto.SignedBlockHeader;
import org.protoblock.chain.store.BlockMeta;
import org.protoblock.chain.types.BlockId;
import org.protoblock.chain.types.ChainBlock;
import org.protoblock.chain.types.ChainHead;
import org.protoblock.chain.types.ChainTransaction;
import org.protoblock.chain.types.Hash256;
import org.protoblock.chain.types.Rule;
import org.protoblock.chain.types.TxId;
import org.protoblock.chain.types.ValidationException;

/**
 * The rules a block must keep given its parent, checked without chain state (transactions are
 * checked against state by {@link TransactionValidator}).
 *
 * <p>Rules, in the order they are checked (the first broken one is reported):
 * <ol>
 *   <li>size: serialized block ≤ maxBlockBytes ({@link Rule#OVERSIZED}); transaction count ≤
 *       maxTransactionsPerBlock ({@link Rule#TOO_MANY_TRANSACTIONS}); each transaction ≤
 *       maxTransactionBytes ({@link Rule#OVERSIZED}).</li>
 *   <li>header: signedhead.head and signedhead.sig present ({@link Rule#MISSING_FIELD}); version in
 *       {@value #MIN_HEADER_VERSION}..{@value #MAX_HEADER_VERSION} ({@link Rule#BAD_HEADER_VERSION}).
 *       Rationale: mainnet's genesis is version 1; no other version is documented, 2..4 are
 *       tolerated in case the production chain moved on.</li>
 *   <li>linkage: num = parent num + 1 ({@link Rule#BAD_HEIGHT}); prev_id is 64 lowercase hex
 *       ({@link Rule#BAD_PREV_ID}) naming the parent ({@link Rule#UNKNOWN_PARENT}).</li>
 *   <li>time: timestamp ≥ parent's ({@link Rule#TIMESTAMP_BEFORE_PARENT}) and ≤ now +
 *       maxFutureDriftSeconds ({@link Rule#TIMESTAMP_IN_FUTURE}). Timestamps are unsigned seconds.</li>
 *   <li>producer: generator_pk is one of the network's producer keys ({@link Rule#BAD_GENERATOR});
 *       the header signature (sig, base58, over sha256(BlockHeader) = the block id) verifies under it
 *       ({@link Rule#BAD_BLOCK_SIGNATURE}, or the encoding rules of {@code Signatures}).</li>
 *   <li>body: transaction_id = merkle root of the computed transaction ids
 *       ({@link Rule#BAD_TRANSACTION_ROOT}; stricter than production, which never checked it: a relayed
 *       block whose transactions were altered is rejected); no transaction id twice
 *       ({@link Rule#DUPLICATE_TRANSACTION_IN_BLOCK}); every transaction keeps the rules that need no
 *       state ({@link TransactionValidator#checkStateless}).</li>
 * </ol>
 * Block 0 is checked by {@link #validateGenesis}: the same rules with num 0 and prev_id 64 × "0"
 * instead of linkage and time, then it must be byte for byte this network's genesis
 * ({@link Rule#BAD_GENESIS}).
 *
 * <p>Headers alone (headers-first sync) can be checked with {@link #validateHeader}. Immutable and
 * thread-safe.
 */
public final class BlockValidator {
    public static final int MIN_HEADER_VERSION = 1;
    public static final int MAX_HEADER_VERSION = 4;
    private static final String ZERO_ID = "0".repeat(Hash256.HEX_CHARS);

    private final NetworkParams params;
    private final Clock clock;
    private final SignatureVerifier verifier;

    public BlockValidator(NetworkParams params, Clock clock, SignatureVerifier verifier) {
        this.params = Objects.requireNonNull(params, "params");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    public BlockValidator(NetworkParams params, Clock clock) {
        this(params, clock, Secp256k1Verifier.INSTANCE);
    }

    /** The same rules with another verifier (e.g. one that knows pre-verified signatures). */
    public BlockValidator withVerifier(SignatureVerifier other) {
        return new BlockValidator(params, clock, other);
    }

    /** Every block rule for a child of {@code parent}. */
    public void validate(ChainBlock block, ChainBlock parent) throws ValidationException {
        validate(block, parent.asHead(), parent.timestamp());
    }

    /** Every block rule for a child of the stored block {@code parent}. */
    public void validate(ChainBlock block, BlockMeta parent) throws ValidationException {
        validate(block, new ChainHead(parent.id(), parent.num()), Integer.toUnsignedLong(parent.timestamp()));
    }

    /** Every block rule for a child of {@code parent}, whose header timestamp is {@code parentTimestamp}. */
    public void validate(ChainBlock block, ChainHead parent, long parentTimestamp) throws ValidationException {
        checkSizes(block);
        validateHeader(block.proto().getSignedhead(), parent, parentTimestamp);
        checkBody(block);
    }

    /** The header rules (presence, version, linkage, time, producer, signature) of a child of {@code parent}. */
    public void validateHeader(SignedBlockHeader signed, ChainHead parent, long parentTimestamp) throws ValidationException {
        BlockHeader header = checkPresentAndVersion(signed);
        if (header.getNum() != (long) parent.num() + 1) {
            throw new ValidationException(Rule.BAD_HEIGHT, "num " + header.getNum() + ", parent " + parent.num());
        }
        String prev = header.getPrevId().toStringUtf8();
        if (!Hash256.isCanonicalHex(prev)) {
            throw new ValidationException(Rule.BAD_PREV_ID, abbreviate(prev));
        }
        if (!BlockId.fromHex(prev).equals(parent.id())) {
            throw new ValidationException(Rule.UNKNOWN_PARENT, "prev_id " + prev + ", parent " + parent.id());
        }
        long timestamp = Integer.toUnsignedLong(header.getTimestamp());
        if (timestamp < parentTimestamp) {
            throw new ValidationException(Rule.TIMESTAMP_BEFORE_PARENT, timestamp + " < " + parentTimestamp);
        }
        long latest = clock.instant().getEpochSecond() + params.limits().maxFutureDriftSeconds();
        if (timestamp > latest) {
            throw new ValidationException(Rule.TIMESTAMP_IN_FUTURE, timestamp + " > " + latest);
        }
        checkProducerSignature(signed);
    }

    /**
     * Block 0: every block rule that applies to it, then identity with this network's genesis
     * (same id and same bytes).
     */
    public void validateGenesis(ChainBlock block) throws ValidationException {
        validateGenesisRules(block);
        if (!block.id().equals(params.genesisId())) {
            throw new ValidationException(Rule.BAD_GENESIS, "id " + block.id() + ", network genesis " + params.genesisId());
        }
        if (!Arrays.equals(block.proto().toByteArray(), params.genesis().proto().toByteArray())) {
            throw new ValidationException(Rule.BAD_GENESIS, "same header as the network genesis, different transactions or signatures");
        }
    }

    /** {@link #validateGenesis} without the identity check (tests run transaction rules in between). */
    void validateGenesisRules(ChainBlock block) throws ValidationException {
        checkSizes(block);
        BlockHeader header = checkPresentAndVersion(block.proto().getSignedhead());
        if (header.getNum() != 0) {
            throw new ValidationException(Rule.BAD_HEIGHT, "genesis num " + header.getNum());
        }
        if (!ZERO_ID.equals(header.getPrevId().toStringUtf8())) {
            throw new ValidationException(Rule.BAD_PREV_ID, "genesis prev_id must be 64 × \"0\"");
        }
        checkProducerSignature(block.proto().getSignedhead());
        checkBody(block);
    }

    private void checkSizes(ChainBlock block) throws ValidationException {
        var limits = params.limits();
        if (block.serializedSize() > limits.maxBlockBytes()) {
            throw new ValidationException(Rule.OVERSIZED, "block is " + block.serializedSize() + " bytes, limit " + limits.maxBlockBytes());
        }
        List<ChainTransaction> txs = block.transactions();
        if (txs.size() > limits.maxTransactionsPerBlock()) {
            throw new ValidationException(Rule.TOO_MANY_TRANSACTIONS, txs.size() + " > " + limits.maxTransactionsPerBlock());
        }
        for (int i = 0; i < txs.size(); i++) {
            if (txs.get(i).serializedSize() > limits.maxTransactionBytes()) {
                throw new ValidationException(Rule.OVERSIZED, "tx #" + i + " " + txs.get(i).id() + " is "
                        + txs.get(i).serializedSize() + " bytes, limit " + limits.maxTransactionBytes());
            }
        }
    }

    private static BlockHeader checkPresentAndVersion(SignedBlockHeader signed) throws ValidationException {
        if (!signed.hasHead()) {
            throw new ValidationException(Rule.MISSING_FIELD, "signedhead.head");
        }
        if (!signed.hasSig()) {
            throw new ValidationException(Rule.MISSING_FIELD, "signedhead.sig");
        }
        int version = signed.getHead().getVersion();
        if (version < MIN_HEADER_VERSION || version > MAX_HEADER_VERSION) {
            throw new ValidationException(Rule.BAD_HEADER_VERSION, "version " + version);
        }
        return signed.getHead();
    }

    private void checkProducerSignature(SignedBlockHeader signed) throws ValidationException {
        String generator = signed.getHead().getGeneratorPk().toStringUtf8();
        PublicKey key = PublicKey.tryFromBase58(generator)
                .filter(params::isProducer)
                .orElseThrow(() -> new ValidationException(Rule.BAD_GENERATOR, abbreviate(generator)));
        BlockId id = ChainBlock.idOf(signed.getHead());
        boolean ok;
        try {
            ok = verifier.verify(key, id.hash(), signed.getSig());
        } catch (ValidationException e) {
            throw new ValidationException(e.rule(), "header signature: " + e.detail());
        }
        if (!ok) {
            throw new ValidationException(Rule.BAD_BLOCK_SIGNATURE, "block " + id + " generator " + key);
        }
    }

    private static void checkBody(ChainBlock block) throws ValidationException {
        String expected = MerkleRoot.ofIds(block.txIds());
        String actual = block.header().getTransactionId().toStringUtf8();
        if (!expected.equals(actual)) {
            throw new ValidationException(Rule.BAD_TRANSACTION_ROOT, "header " + abbreviate(actual) + ", computed " + expected);
        }
        List<ChainTransaction> txs = block.transactions();
        for (int i = 0; i < txs.size(); i++) {
            try {
                TransactionValidator.checkStateless(txs.get(i));
            } catch (ValidationException e) {
                throw new ValidationException(e.rule(), "tx #" + i + ": " + e.detail());
            }
        }
        Map<TxId, Integer> seen = new HashMap<>();
        List<TxId> ids = block.txIds();
        for (int i = 0; i < ids.size(); i++) {
            Integer first = seen.putIfAbsent(ids.get(i), i);
            if (first != null) {
                throw new ValidationException(Rule.DUPLICATE_TRANSACTION_IN_BLOCK, "tx #" + i + " " + ids.get(i) + " repeats tx #" + first);
            }
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? "\"" + s + "\"" : "\"" + s.substring(0, 80) + "…\" (" + s.length() + " chars)";
    }
}
