package org.protoblock.chain.types;

/**
 * Every rule a block or transaction can fail, each with the sentence a rejection reports.
 * The names are stable: they appear in logs, RPC errors and metrics labels.
 */
public enum Rule {
    // Decoding and size limits
    MALFORMED_ENCODING("bytes are not a well-formed protobuf message of the expected type"),
    OVERSIZED("serialized size exceeds the limit"),
    TOO_MANY_TRANSACTIONS("block holds more transactions than allowed"),
    MISSING_FIELD("a required field is absent"),

    // Block header
    BAD_HEADER_VERSION("header version is not supported"),
    BAD_PREV_ID("prev_id is not 64 lowercase hex characters"),
    UNKNOWN_PARENT("prev_id names no known block"),
    BAD_HEIGHT("num is not the parent's num + 1"),
    BAD_GENESIS("block 0 is not this network's genesis"),
    BAD_GENERATOR("generator_pk is not this network's producer key"),
    BAD_BLOCK_SIGNATURE("header signature does not verify under the producer key"),
    BAD_TRANSACTION_ROOT("transaction_id is not the merkle root of the transaction ids"),
    TIMESTAMP_BEFORE_PARENT("timestamp is earlier than the parent's"),
    TIMESTAMP_IN_FUTURE("timestamp is too far in the future"),
    DUPLICATE_TRANSACTION_IN_BLOCK("the same transaction appears twice in the block"),

    // Transaction
    BAD_TX_ID("id is not hex(sha256(serialized Transaction))"),
    BAD_TX_VERSION("transaction version is not within 1..4"),
    EMPTY_FANTASY_NAME("fantasy_name is empty"),
    BAD_SIGNATURE_ENCODING("signature is not valid base58 of a 64-byte or DER signature"),
    HIGH_S_SIGNATURE("signature has a high S value"),
    BAD_PUBLIC_KEY("public key is not base58 of a 33-byte compressed secp256k1 point"),
    BAD_TX_SIGNATURE("signature does not verify under the required key"),
    NAME_TAKEN("fantasy name is already registered"),
    KEY_TAKEN("public key is already registered to another name"),
    NAME_MISMATCH("NameTrans fantasy_name differs from the signed transaction's fantasy_name"),
    MISSING_PAYLOAD("transaction lacks the payload its type requires"),
    UNKNOWN_NAME("fantasy_name is not registered"),
    NOT_ORACLE("this transaction type must be signed by the producer (oracle) key"),
    NONCE_TOO_OLD("nonce is more than 48 h older than the block time"),
    NONCE_TOO_NEW("nonce is more than 60 min newer than the block time"),
    REPLAYED("transaction id was already included within the replay window"),
    ALREADY_IN_MEMPOOL("transaction is already in the mempool"),
    MEMPOOL_FULL("mempool is full");

    private final String description;

    Rule(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
